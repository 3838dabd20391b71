# Tests of libs/langgraph/tests/test_time_travel.py found not yet mirrored by the audit
# (src/docs/langgraph-audit/test_time_travel.md), run against LangGraph 1.2.12 as the tests run them;
# TimeTravelAuditParityTest compares its output with time_travel_audit.json, which this script writes
# (python time_travel_audit.py > time_travel_audit.json). A run is printed as [value, interrupt values, nodes called].
import json
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

out = {}
called = []

class State(TypedDict):
    value: Annotated[list[str], operator.add]

def shown(result):
    r = [result.get("value", []), [i.value for i in result.get("__interrupt__", [])], list(called)]
    called.clear()
    return r

def node(name, value):
    def f(state):
        called.append(name)
        return {"value": [value]}
    return f

def ask_human(state):
    called.append("ask_human")
    answer = interrupt("Provide input:")
    return {"value": [f"human:{answer}"]}

# test_subgraph_interrupt_full_flow_no_sub_checkpointer
subgraph = (StateGraph(State).add_node("step_a", node("step_a", "sub_a")).add_node("ask_human", ask_human)
            .add_node("step_b", node("step_b", "sub_b")).add_edge(START, "step_a").add_edge("step_a", "ask_human")
            .add_edge("ask_human", "step_b").compile(checkpointer=None))
graph = (StateGraph(State).add_node("router", node("router", "routed")).add_node("subgraph_node", subgraph)
         .add_node("post_process", node("post_process", "post")).add_edge(START, "router")
         .add_edge("router", "subgraph_node").add_edge("subgraph_node", "post_process")
         .compile(checkpointer=InMemorySaver()))
config = {"configurable": {"thread_id": "1"}}
o = out["test_subgraph_interrupt_full_flow_no_sub_checkpointer"] = {}
o["first"] = shown(graph.invoke({"value": []}, config))
o["original"] = shown(graph.invoke(Command(resume="original"), config))
history = list(graph.get_state_history(config))
before_sub = [s for s in history if s.next == ("subgraph_node",)][-1]
o["beforeSub"] = [before_sub.metadata["source"], before_sub.metadata["step"], before_sub.values]
fork_config = graph.update_state(before_sub.config, {"value": ["forked"]})
o["fork"] = shown(graph.invoke(None, fork_config))
o["final"] = shown(graph.invoke(Command(resume="new_answer"), fork_config))

# test_get_state_with_subgraphs_returns_subgraph_state
class SubState(TypedDict):
    data: str
def sub_node(state):
    interrupt("Continue?")
    return {"data": "processed"}
sub = StateGraph(SubState).add_node("process", sub_node).add_edge(START, "process").compile()
graph = StateGraph(SubState).add_node("sub", sub).add_edge(START, "sub").compile(checkpointer=InMemorySaver())
graph.invoke({"data": "input"}, config)
state = graph.get_state(config, subgraphs=True)
sub_state = state.tasks[0].state
out["test_get_state_with_subgraphs_returns_subgraph_state"] = {
    "tasks": len(state.tasks), "threadId": sub_state.config["configurable"]["thread_id"],
    "ns": sub_state.config["configurable"]["checkpoint_ns"].split(":")[0], "values": sub_state.values,
    "next": list(sub_state.next)}
print(json.dumps(out, indent=1))
