# Subgraph tests of libs/langgraph/tests/test_pregel.py run against LangGraph 1.2.12: an interrupt in a subgraph node
# and its resume (test_interrupt_subgraph), a stateful subgraph (compile(checkpointer=True)) called twice by a
# conditional loop, streamed with subgraphs under each durability (test_subgraph_checkpoint_true), how many
# checkpoints a thread holds with its subgraphs' under each durability (test_subgraph_durability_inherited), and a
# subgraph node's results and streams (test_nested_graph). PregelSubgraphParityTest compares its Java form with the
# JSON this prints:
#   /work/venv-lg/bin/python pregel_subgraphs.py > pregel_subgraphs.json
import json
import operator
import re
import uuid
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import END, START, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

out = {}


def ns(namespace):
    # a task id in a namespace ("node:<uuid>") is random: shown as "node:<id>"
    return [re.sub(r":[0-9a-f-]{36}$", ":<id>", part) for part in namespace]


def interrupts(result):
    return [i.value for i in result.get("__interrupt__", [])]


# test_interrupt_subgraph
class BazState(TypedDict):
    baz: str


def bar(state):
    return {"baz": interrupt("Please provide baz value:")}


child = StateGraph(BazState).add_node("bar", bar).add_edge(START, "bar").compile()
app = (StateGraph(BazState).add_node("foo", lambda s: {"baz": "foo"}).add_node("bar", child)
       .add_edge(START, "foo").add_edge("foo", "bar").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
s = {}
r = app.invoke({"baz": ""}, c)
s["first"] = {"baz": r["baz"], "interrupts": interrupts(r)}
state = app.get_state(c)
s["state"] = {"next": list(state.next), "values": state.values,
              "taskInterrupts": [[i.value for i in t.interrupts] for t in state.tasks]}
r = app.invoke(Command(resume="bar"), c)
s["resume"] = {"baz": r["baz"], "interrupts": interrupts(r)}
s["history"] = [{"source": h.metadata["source"], "step": h.metadata["step"], "next": list(h.next),
                 "values": h.values} for h in app.get_state_history(c)]
out["test_interrupt_subgraph"] = s


# test_subgraph_checkpoint_true, test_subgraph_durability_inherited
class InnerState(TypedDict):
    my_key: Annotated[str, operator.add]
    my_other_key: str


class KeyState(TypedDict):
    my_key: str


def looping(inner_checkpointer):
    inner = (StateGraph(InnerState)
             .add_node("inner_1", lambda s: {"my_key": " got here", "my_other_key": s["my_key"]})
             .add_node("inner_2", lambda s: {"my_key": " and there"}).add_edge("inner_1", "inner_2")
             .set_entry_point("inner_1").set_finish_point("inner_2").compile(checkpointer=inner_checkpointer))
    return (StateGraph(KeyState).add_node("inner", inner).add_edge(START, "inner")
            .add_conditional_edges("inner", lambda s: "inner" if s["my_key"].count("there") < 2 else END))


for durability in ("sync", "async", "exit"):
    saver = InMemorySaver()
    app = looping(True).compile(checkpointer=saver)
    c = {"configurable": {"thread_id": "2"}}
    chunks = [[ns(n), chunk] for n, chunk in app.stream({"my_key": ""}, c, subgraphs=True, durability=durability)]
    per_ns = {}
    for t in saver.list(None):
        key = t.config["configurable"]["checkpoint_ns"]
        per_ns[key] = per_ns.get(key, 0) + 1
    out[f"test_subgraph_checkpoint_true[{durability}]"] = {
        "chunks": chunks, "history": len(list(app.get_state_history(c))), "checkpointsPerNamespace": per_ns}

    saver = InMemorySaver()
    app = looping(saver).compile(checkpointer=saver)
    c = {"configurable": {"thread_id": str(uuid.uuid4())}}
    result = app.invoke({"my_key": ""}, c, durability=durability)
    namespaces = {}
    for t in saver.list(c):
        key = ns([t.config["configurable"]["checkpoint_ns"]])[0]
        namespaces[key] = namespaces.get(key, 0) + 1
    out[f"test_subgraph_durability_inherited[{durability}]"] = {
        "result": result, "checkpoints": len(list(saver.list(c))), "perNamespace": namespaces}


# test_nested_graph (a plain value where the test has a never-called runnable)
class UpState(TypedDict):
    my_key: str
    my_other_key: str


class NestedState(TypedDict):
    my_key: str
    never_called: str


inner = (StateGraph(UpState).add_node("up", lambda s: {"my_key": s["my_key"] + " there", "my_other_key": s["my_key"]})
         .set_entry_point("up").set_finish_point("up").compile())
app = (StateGraph(NestedState).add_node("inner", inner)
       .add_node("side", lambda s: {"my_key": s["my_key"] + " and back again"})
       .set_entry_point("inner").add_edge("inner", "side").set_finish_point("side").compile())
given = {"my_key": "my value", "never_called": "never"}
out["test_nested_graph"] = {
    "invoke": app.invoke(given),
    "updates": list(app.stream(given)),
    "values": list(app.stream(given, stream_mode="values")),
    "subgraphs": [[ns(n), chunk] for n, chunk in app.stream(given, subgraphs=True)],
}

print(json.dumps(out, indent=1))
