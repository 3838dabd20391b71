# Subgraph events in a parent's stream, run against LangGraph 1.2.12; SubgraphStreamTest asserts these outputs.
# Child events come only with stream(..., subgraphs=True), in every mode (custom events too).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.config import get_stream_writer
from langgraph.checkpoint.memory import InMemorySaver

class State(TypedDict):
    log: Annotated[list[str], operator.add]

def inner(s):
    get_stream_writer()({"from": "inner"})
    return {"log": ["inner"]}
sub = StateGraph(State); sub.add_node("inner", inner); sub.add_edge(START, "inner"); sub.add_edge("inner", END)
sub = sub.compile()
def outer(s):
    get_stream_writer()({"from": "outer"})
    return {"log": ["outer"]}
g = StateGraph(State); g.add_node("outer", outer); g.add_node("child", sub)
g.add_edge(START, "outer"); g.add_edge("outer", "child"); g.add_edge("child", END)
app = g.compile(checkpointer=InMemorySaver())
for sg in (False, True):
    print("== updates, values, custom; subgraphs", sg)
    for c in app.stream({"log": []}, {"configurable": {"thread_id": f"t{sg}"}},
                        stream_mode=["updates", "values", "custom"], subgraphs=sg):
        print(" ", c)

print("== test_stream_subgraphs_during_execution (without its sleeps; updates)")
class InnerState(TypedDict):
    my_key: Annotated[str, operator.add]
    my_other_key: str
def inner_1(state):
    return {"my_key": "got here", "my_other_key": state["my_key"]}
def inner_2(state):
    return {"my_key": " and there", "my_other_key": state["my_key"]}
i = StateGraph(InnerState)
i.add_node("inner_1", inner_1); i.add_node("inner_2", inner_2)
i.add_edge("inner_1", "inner_2"); i.set_entry_point("inner_1"); i.set_finish_point("inner_2")
class S2(TypedDict):
    my_key: Annotated[str, operator.add]
def outer_1(state):
    return {"my_key": " and parallel"}
def outer_2(state):
    return {"my_key": " and back again"}
g = StateGraph(S2)
g.add_node("inner", i.compile()); g.add_node("outer_1", outer_1); g.add_node("outer_2", outer_2)
g.add_edge(START, "inner"); g.add_edge(START, "outer_1"); g.add_edge(["inner", "outer_1"], "outer_2")
g.add_edge("outer_2", END)
app = g.compile(checkpointer=InMemorySaver())
for sg in (False, True):
    print("  subgraphs", sg)
    for c in app.stream({"my_key": ""}, {"configurable": {"thread_id": f"u{sg}"}}, subgraphs=sg):
        print("   ", c)
