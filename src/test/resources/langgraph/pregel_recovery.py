# StateGraph tests of libs/langgraph/tests/test_pregel.py, run against LangGraph 1.2.12; PregelRecoveryParityTest
# compares its output with pregel_recovery.json, which this script writes (python pregel_recovery.py >
# pregel_recovery.json): test_pending_writes_resume and test_checkpoint_recovery (each durability), 
# test_batch_update_as_input (each durability), test_dict_mixed_return, test_invoke_two_processes_two_in_two_out_invalid
# (its StateGraph part), test_multiple_nodes_before_interrupt_resume_graph_api,
# test_node_before_multiple_interrupt_cycles_graph_api, test_fork_and_update_task_results. Errors are printed as
# their exception's type and message; a history entry as its values, next, step, source and tasks (name, result,
# whether it failed).
import json
import operator
import time
from typing import Annotated, Any
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, Command, interrupt, StateUpdate, RetryPolicy
from langgraph.errors import InvalidUpdateError

out = {}


def snap(s):
    return {"values": s.values, "next": list(s.next), "step": s.metadata.get("step"), "source": s.metadata["source"],
            "tasks": [{"name": t.name, "result": t.result, "failed": t.error is not None} for t in s.tasks]}


def history(g, config):
    return [snap(s) for s in g.get_state_history(config)]


def err(e):
    return type(e).__name__ + ": " + str(e)


# test_pending_writes_resume
class V(TypedDict):
    value: Annotated[int, operator.add]


class AwhileMaker:
    def __init__(self, sleep, rtn):
        self.sleep, self.rtn, self.calls = sleep, rtn, 0

    def __call__(self, input):
        self.calls += 1
        time.sleep(self.sleep)
        if isinstance(self.rtn, Exception):
            raise self.rtn
        return self.rtn


for durability in ["sync", "async", "exit"]:
    one = AwhileMaker(0.1, {"value": 2})
    two = AwhileMaker(0.2, ConnectionError("I'm not good"))
    b = StateGraph(V)
    b.add_node("one", one)
    b.add_node("two", two, retry_policy=RetryPolicy(max_attempts=2, initial_interval=0, jitter=False))
    b.add_edge(START, "one").add_edge(START, "two")
    saver = InMemorySaver()
    g = b.compile(checkpointer=saver)
    t = {"configurable": {"thread_id": "1"}}
    o = out["test_pending_writes_resume " + durability] = {}
    try:
        g.invoke({"value": 1}, t, durability=durability)
    except ConnectionError as e:
        o["firstError"] = str(e)
    o["callsAfterFirst"] = [one.calls, two.calls]
    s = g.get_state(t)
    o["state"] = snap(s)
    o["stateById"] = snap(g.get_state(s.config))
    try:
        g.invoke(None, t, durability=durability)
    except ConnectionError as e:
        o["secondError"] = str(e)
    o["callsAfterSecond"] = [one.calls, two.calls]
    o["stateAfterSecond"] = snap(g.get_state(t))
    two.rtn = {"value": 3}
    o["result"] = g.invoke(None, t, durability=durability)
    o["checkpoints"] = len(list(saver.list(t)))
    o["history"] = history(g, t)


# test_checkpoint_recovery
class R(TypedDict):
    steps: Annotated[list[str], operator.add]
    attempt: int


def failing_node(state):
    if state["attempt"] == 1:
        raise RuntimeError("Simulated failure")
    return {"steps": ["node1"]}


for durability in ["sync", "async", "exit"]:
    b = StateGraph(R)
    b.add_node("node1", failing_node)
    b.add_node("node2", lambda s: {"steps": ["node2"]})
    b.add_edge(START, "node1").add_edge("node1", "node2")
    g = b.compile(checkpointer=InMemorySaver())
    t = {"configurable": {"thread_id": "1"}}
    o = out["test_checkpoint_recovery " + durability] = {}
    try:
        g.invoke({"steps": ["start"], "attempt": 1}, t, durability=durability)
    except RuntimeError as e:
        o["firstError"] = str(e)
    o["state"] = snap(g.get_state(t))
    o["result"] = g.invoke({"steps": [], "attempt": 2}, t, durability=durability)
    o["history"] = history(g, t)
    g.checkpointer.delete_thread("1")
    o["afterDelete"] = history(g, t)


# test_batch_update_as_input
class B(TypedDict):
    foo: str
    tasks: Annotated[list[int], operator.add]


def map_node(state):
    return Command(goto=[Send("task", {"index": 0}), Send("task", {"index": 1}), Send("task", {"index": 2})],
                   update={"foo": "map"})


for durability in ["sync", "async", "exit"]:
    g = (StateGraph(B).add_node("agent", lambda s: {"foo": "agent"}).add_node("map", map_node)
         .add_node("task", lambda s: {"tasks": [s["index"]]}).add_edge(START, "agent").add_edge("agent", "map")
         .compile(checkpointer=InMemorySaver()))
    o = out["test_batch_update_as_input " + durability] = {}
    t1 = {"configurable": {"thread_id": "1"}}
    t2 = {"configurable": {"thread_id": "2"}}
    o["result"] = g.invoke({"foo": "input"}, t1, durability=durability)
    o["history"] = history(g, t1)
    g.bulk_update_state(t2, [
        [StateUpdate({"foo": "input"}, "__input__")],
        [StateUpdate({"foo": "input"}, "__start__")],
        [StateUpdate({"foo": "agent", "tasks": []}, "agent")],
        [StateUpdate(Command(goto=[Send("task", {"index": 0}), Send("task", {"index": 1}),
                                   Send("task", {"index": 2})], update={"foo": "map"}), "map")],
        [StateUpdate({"tasks": [0]}, "task"), StateUpdate({"tasks": [1]}, "task"),
         StateUpdate({"tasks": [2]}, "task")],
    ])
    o["bulkState"] = snap(g.get_state(t2))
    o["bulkHistory"] = history(g, t2)


# test_dict_mixed_return
class F(TypedDict):
    foo: Annotated[str, operator.add]


g = StateGraph(F).add_node("my_node", lambda s: [Command(update={"foo": "a"}), {"foo": "b"}]).add_edge(START, "my_node")
g = g.compile()
out["test_dict_mixed_return"] = {"result": g.invoke({"foo": ""}),
                                  "updates": list(g.stream({"foo": ""}, stream_mode="updates"))}


# test_invoke_two_processes_two_in_two_out_invalid (the StateGraph part)
class H(TypedDict):
    hello: str


b = StateGraph(H)
b.add_node("one", lambda s: {"hello": "world"})
b.add_node("two", lambda s: {"hello": "world"})
b.set_conditional_entry_point(lambda _: ["one", "two"])
g = b.compile(checkpointer=InMemorySaver())
t = {"configurable": {"thread_id": "1"}}
try:
    g.invoke({"hello": "there"}, t)
except InvalidUpdateError as e:
    out["test_invoke_two_processes_two_in_two_out_invalid"] = {
        "error": type(e).__name__, "atKey": "At key 'hello'" in str(e), "history": history(g, t)}


# test_multiple_nodes_before_interrupt_resume_graph_api
class M(TypedDict):
    value: int
    answer: str


def ask(state):
    return {"answer": interrupt(f"Result so far is {state['value']}. What next?")}


g = (StateGraph(M).add_node("step_a", lambda s: {"value": s["value"] + 1})
     .add_node("step_b", lambda s: {"value": s["value"] * 2}).add_node("ask", ask)
     .add_edge(START, "step_a").add_edge("step_a", "step_b").add_edge("step_b", "ask").add_edge("ask", END)
     .compile(checkpointer=InMemorySaver()))
t = {"configurable": {"thread_id": "1"}}
o = out["test_multiple_nodes_before_interrupt_resume_graph_api"] = {}
r = g.invoke({"value": 5, "answer": ""}, t)
o["first"] = {"values": {k: v for k, v in r.items() if k != "__interrupt__"},
              "interrupts": [i.value for i in r["__interrupt__"]]}
o["waiting"] = snap(g.get_state(t))
o["result"] = g.invoke(Command(resume="continue"), t)
o["history"] = history(g, t)


# test_node_before_multiple_interrupt_cycles_graph_api
class C(TypedDict):
    count: int
    data: str


def multi_interrupt(state):
    first = interrupt("First question?")
    second = interrupt("Second question?")
    return {"data": f"{first},{second}"}


g = (StateGraph(C).add_node("prepare", lambda s: {"count": s["count"] + 10})
     .add_node("multi_interrupt", multi_interrupt)
     .add_edge(START, "prepare").add_edge("prepare", "multi_interrupt").add_edge("multi_interrupt", END)
     .compile(checkpointer=InMemorySaver()))
t = {"configurable": {"thread_id": "1"}}
o = out["test_node_before_multiple_interrupt_cycles_graph_api"] = {}
runs = []
for value in [{"count": 0, "data": ""}, Command(resume="first_answer"), Command(resume="second_answer")]:
    r = g.invoke(value, t)
    runs.append({"values": {k: v for k, v in r.items() if k != "__interrupt__"},
                 "interrupts": [i.value for i in r.get("__interrupt__", [])]})
o["runs"] = runs
o["history"] = [{k: v for k, v in h.items() if k != "tasks"} for h in history(g, t)]


# test_fork_and_update_task_results
def join(a, b):
    return " > ".join([a, b]) if a else b


class N(TypedDict):
    name: Annotated[str, join]


g = (StateGraph(N).add_node("one", lambda s: Command(goto=[Send("two", {})], update={"name": "one"}))
     .add_node("two", lambda s: {"name": "two"}).add_node("three", lambda s: {"name": "three"})
     .add_edge(START, "one").add_edge("one", "two").add_edge("two", "three")
     .compile(checkpointer=InMemorySaver()))


def tree(hist):
    """The history as LangGraph's test's get_tree: parent-child links, each checkpoint's values and tasks' results."""
    nodes, roots = {}, []
    for item in reversed(hist):
        cid = item.config["configurable"]["checkpoint_id"]
        pid = item.parent_config["configurable"]["checkpoint_id"] if item.parent_config else None
        nodes[cid] = {"item": item, "children": []}
        (nodes[pid]["children"] if pid in nodes else roots).append(nodes[cid])

    def walk(n):
        r = [["checkpoint", n["item"].values]] + [["task", t.name, t.result] for t in n["item"].tasks]
        if len(n["children"]) > 1:
            return r + [[walk(c) for c in n["children"]]]
        if len(n["children"]) == 1:
            return r + walk(n["children"][0])
        return r
    return walk(roots[0]) if len(roots) == 1 else [walk(r) for r in roots]


o = out["test_fork_and_update_task_results"] = {}
t = {"configurable": {"thread_id": "1"}}
g.invoke({"name": "start"}, t)
h = list(g.get_state_history(t))
o["first"] = tree(h)
g.invoke(None, g.update_state(h[4].config, values=[StateUpdate(values={"name": "start*"}, as_node="__start__")],
                              as_node="__copy__"))
h = list(g.get_state_history(t))
o["afterStartFork"] = tree(h)
g.invoke(None, g.update_state(h[3].config, [StateUpdate(values={"name": "one*"}, as_node="one")], "__copy__"))
o["afterOneFork"] = tree(list(g.get_state_history(t)))
t = {"configurable": {"thread_id": "2"}}
g.invoke({"name": "start"}, t)
h = list(g.get_state_history(t))
g.invoke(None, g.update_state(h[2].config, [StateUpdate(values={"name": "two"}, as_node="two"),
                                            StateUpdate(values={"name": "two"}, as_node="two")], "__copy__"))
o["afterTwoFork"] = tree(list(g.get_state_history(t)))

print(json.dumps(out, indent=1))
