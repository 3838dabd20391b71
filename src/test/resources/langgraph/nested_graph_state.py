# test_nested_graph_state and test_doubly_nested_graph_state of libs/langgraph/tests/test_large_cases.py, run against
# LangGraph 1.2.12 under "exit" durability (as the tests) and "async"; NestedStateParityTest compares its output with
# nested_graph_state.json, which this script writes (python nested_graph_state.py > nested_graph_state.json).
# A state is printed as: values, next, metadata source/step, the namespaces of metadata["parents"] (task ids left out,
# sorted), whether it has a parent checkpoint, tasks as [name, result, interrupt values], its checkpoint namespace
# (task ids left out) and the states of its subgraph tasks ("subs"). Stream chunks are [namespace levels, chunk], or
# [namespace levels, mode, chunk] for several modes.
import json
from typing_extensions import TypedDict
from langgraph.graph import StateGraph
from langgraph.checkpoint.memory import InMemorySaver

def ns_of(ns):
    return "|".join(level.split(":")[0] for level in ns.split("|")) if ns else ""

def snap(s):
    out = {"values": s.values, "next": list(s.next), "source": s.metadata["source"], "step": s.metadata["step"],
           "parents": sorted(ns_of(k) for k in s.metadata.get("parents", {})),
           "hasParent": s.parent_config is not None,
           "tasks": [[t.name, t.result, [i.value for i in t.interrupts]] for t in s.tasks],
           "ns": ns_of(s.config["configurable"]["checkpoint_ns"])}
    subs = [snap(t.state) for t in s.tasks if t.state is not None and not isinstance(t.state, dict)]
    if subs:
        out["subs"] = subs
    return out

def chunks(stream):
    return [[[level.split(":")[0] for level in c[0]], *c[1:]] for c in stream]

out = {}

class InnerState(TypedDict):
    my_key: str
    my_other_key: str
inner = StateGraph(InnerState)
inner.add_node("inner_1", lambda s: {"my_key": s["my_key"] + " here", "my_other_key": s["my_key"]})
inner.add_node("inner_2", lambda s: {"my_key": s["my_key"] + " and there", "my_other_key": s["my_key"]})
inner.add_edge("inner_1", "inner_2"); inner.set_entry_point("inner_1"); inner.set_finish_point("inner_2")
class State(TypedDict):
    my_key: str
    other_parent_key: str
graph = StateGraph(State)
graph.add_node("outer_1", lambda s: {"my_key": "hi " + s["my_key"]})
graph.add_node("inner", inner.compile(interrupt_before=["inner_2"]))
graph.add_node("outer_2", lambda s: {"my_key": s["my_key"] + " and back again"})
graph.set_entry_point("outer_1"); graph.add_edge("outer_1", "inner"); graph.add_edge("inner", "outer_2")
graph.set_finish_point("outer_2")
for dur in ["exit", "async"]:
    app = graph.compile(checkpointer=InMemorySaver())
    c = {"configurable": {"thread_id": "1"}}
    o = out["test_nested_graph_state " + dur] = {}
    o["first"] = app.invoke({"my_key": "my value"}, c, durability=dur)
    o["state"] = snap(app.get_state(c))
    o["stateWithSubgraphs"] = snap(app.get_state(c, subgraphs=True))
    o["history"] = [snap(s) for s in app.get_state_history(c)]
    o["second"] = app.invoke(None, c, durability=dur)
    o["finalState"] = snap(app.get_state(c, subgraphs=True))
    o["finalHistory"] = [snap(s) for s in app.get_state_history(c)]

class S(TypedDict):
    my_key: str
gc = StateGraph(S)
gc.add_node("grandchild_1", lambda s: {"my_key": s["my_key"] + " here"})
gc.add_node("grandchild_2", lambda s: {"my_key": s["my_key"] + " and there"})
gc.add_edge("grandchild_1", "grandchild_2"); gc.set_entry_point("grandchild_1"); gc.set_finish_point("grandchild_2")
ch = StateGraph(S)
ch.add_node("child_1", gc.compile(interrupt_before=["grandchild_2"]))
ch.set_entry_point("child_1"); ch.set_finish_point("child_1")
g = StateGraph(S)
g.add_node("parent_1", lambda s: {"my_key": "hi " + s["my_key"]})
g.add_node("child", ch.compile())
g.add_node("parent_2", lambda s: {"my_key": s["my_key"] + " and back again"})
g.set_entry_point("parent_1"); g.add_edge("parent_1", "child"); g.add_edge("child", "parent_2")
g.set_finish_point("parent_2")
for dur in ["exit", "async"]:
    app = g.compile(checkpointer=InMemorySaver())
    o = out["test_doubly_nested_graph_state " + dur] = {}
    c = {"configurable": {"thread_id": "1"}}
    o["updates"] = chunks(app.stream({"my_key": "my value"}, c, subgraphs=True, durability=dur))
    o["state"] = snap(app.get_state(c))
    o["stateWithSubgraphs"] = snap(app.get_state(c, subgraphs=True))
    o["resumedUpdates"] = chunks(app.stream(None, c, subgraphs=True, durability=dur))
    o["finalState"] = snap(app.get_state(c, subgraphs=True))
    o["history"] = [snap(s) for s in app.get_state_history(c)]
    c = {"configurable": {"thread_id": "2"}}
    o["values"] = chunks(app.stream({"my_key": "my value"}, c, subgraphs=True, stream_mode="values", durability=dur))
    o["resumedValues"] = chunks(app.stream(None, c, subgraphs=True, stream_mode="values", durability=dur))
    c = {"configurable": {"thread_id": "3"}}
    o["valuesAndUpdates"] = chunks(app.stream({"my_key": "my value"}, c, subgraphs=True,
                                              stream_mode=["values", "updates"], durability=dur))
    o["resumedValuesAndUpdates"] = chunks(app.stream(None, c, subgraphs=True, stream_mode=["values", "updates"],
                                                     durability=dur))
print(json.dumps(out, indent=1))
