# LangGraph 1.2.12's get_state, get_state_history and update_state of a config whose checkpoint_ns names a subgraph
# (a child state's config, or StateSnapshot.tasks[i].state of a state read without subgraphs), as the tests of
# libs/langgraph/tests/test_large_cases.py use them: test_weather_subgraph and test_send_to_nested_graphs from their
# update of a child's state on, test_nested_graph_state's and test_doubly_nested_graph_state's child histories and
# child states. SubgraphUpdateStateParityTest compares its output with subgraph_update_state.json, which this script
# writes (python subgraph_update_state.py > subgraph_update_state.json). The weather graph's fake models are fixed
# answers, as in nested_sends.py. A state is printed as nested_graph_state.py's snap prints it; chunks are
# [namespace levels (task ids left out), chunk]; messages are type and content.
import json
import operator
from typing import Annotated, Literal
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph, MessagesState
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send
from langchain_core.messages import BaseMessage

def d(v):
    if isinstance(v, BaseMessage):
        return {"type": v.type, "content": v.content}
    if isinstance(v, dict):
        return {k: d(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [d(x) for x in v]
    return v

def ns_of(ns):
    return "|".join(level.split(":")[0] for level in ns.split("|")) if ns else ""

def snap(s):
    out = {"values": d(s.values), "next": list(s.next), "source": s.metadata["source"], "step": s.metadata["step"],
           "parents": sorted(ns_of(k) for k in s.metadata.get("parents", {})),
           "hasParent": s.parent_config is not None,
           "tasks": [[t.name, d(t.result), [i.value for i in t.interrupts]] for t in s.tasks],
           "ns": ns_of(s.config["configurable"]["checkpoint_ns"])}
    subs = [snap(t.state) for t in s.tasks if t.state is not None and not isinstance(t.state, dict)]
    if subs:
        out["subs"] = subs
    return out

def cfg(c):
    return {"ns": ns_of(c["configurable"]["checkpoint_ns"]), "hasId": c["configurable"].get("checkpoint_id") is not None}

def chunks(stream):
    return [[[level.split(":")[0] for level in c[0]], d(c[1])] for c in stream]

out = {}

# test_weather_subgraph
class SubGraphState(MessagesState):
    city: str
sg = StateGraph(SubGraphState)
sg.add_node("model_node", lambda s: {"city": "San Francisco"})
sg.add_node("weather_node", lambda s: {"messages": [{"role": "assistant", "content": f"I'ts sunny in {s['city']}!",
                                                      "id": "w1"}]})
sg.add_edge(START, "model_node"); sg.add_edge("model_node", "weather_node"); sg.add_edge("weather_node", END)
class RouterState(MessagesState):
    route: Literal["weather", "other"]
g = StateGraph(RouterState)
g.add_node("router_node", lambda s: {"route": "weather"})
g.add_node("normal_llm_node", lambda s: {"messages": [{"role": "assistant", "content": "Hello!", "id": "h1"}]})
g.add_node("weather_graph", sg.compile(interrupt_before=["weather_node"]))
g.add_edge(START, "router_node")
g.add_conditional_edges("router_node", lambda s: "weather_graph" if s["route"] == "weather" else "normal_llm_node",
                        ["weather_graph", "normal_llm_node"])
g.add_edge("normal_llm_node", END); g.add_edge("weather_graph", END)
graph = g.compile(checkpointer=InMemorySaver())
inputs = {"messages": [{"role": "user", "content": "what's the weather in sf", "id": "u1"}]}
o = out["test_weather_subgraph"] = {}
c1 = {"configurable": {"thread_id": "1"}}
o["updates"] = chunks(graph.stream(inputs, c1, stream_mode="updates", subgraphs=True, durability="exit"))
state = graph.get_state(c1)
o["taskConfig"] = {"ns": ns_of(state.tasks[0].state["configurable"]["checkpoint_ns"]),
                   "hasId": "checkpoint_id" in state.tasks[0].state["configurable"]}
o["updated"] = cfg(graph.update_state(state.tasks[0].state, {"city": "la"}))
o["stateAfterUpdate"] = snap(graph.get_state(c1, subgraphs=True))
o["resumedUpdates"] = chunks(graph.stream(None, c1, stream_mode="updates", subgraphs=True))
o["final"] = snap(graph.get_state(c1, subgraphs=True))
c14 = {"configurable": {"thread_id": "14"}}
o["updates14"] = chunks(graph.stream(inputs, c14, stream_mode="updates", subgraphs=True, durability="exit"))
state = graph.get_state(c14, subgraphs=True)
o["state14"] = snap(state)
child_config = state.tasks[0].state.config
o["childState"] = snap(graph.get_state(child_config))
o["updated14"] = cfg(graph.update_state(child_config, {"messages": [{"role": "assistant", "content": "rainy",
                                                                        "id": "r1"}]}, as_node="weather_node"))
o["state14AfterUpdate"] = snap(graph.get_state(c14, subgraphs=True))
o["childHistory14"] = [snap(s) for s in graph.get_state_history(graph.get_state(c14).tasks[0].state)]
o["resumedUpdates14"] = chunks(graph.stream(None, c14, stream_mode="updates", subgraphs=True))
o["final14"] = snap(graph.get_state(c14))

# test_send_to_nested_graphs
class OverallState(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]
class JokeState(TypedDict):
    subject: str
subgraph = StateGraph(JokeState, output_schema=OverallState)
subgraph.add_node("edit", lambda s: {"subject": s["subject"] + " - hohoho"})
subgraph.add_node("generate", lambda s: {"jokes": [f"Joke about {s['subject']}"]})
subgraph.set_entry_point("edit"); subgraph.add_edge("edit", "generate"); subgraph.set_finish_point("generate")
builder = StateGraph(OverallState)
builder.add_node("generate_joke", subgraph.compile(interrupt_before=["generate"]))
builder.add_conditional_edges(START, lambda s: [Send("generate_joke", {"subject": x}) for x in s["subjects"]])
builder.add_edge("generate_joke", END)
graph = builder.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
o = out["test_send_to_nested_graphs"] = {}
o["first"] = graph.invoke({"subjects": ["cats", "dogs"]}, c)
outer_state = graph.get_state(c)
o["dogs"] = snap(graph.get_state(outer_state.tasks[1].state))
o["updated"] = cfg(graph.update_state(outer_state.tasks[1].state, {"subject": "turtles - hohoho"}))
o["resumed"] = sorted(graph.stream(None, c), key=lambda x: x["generate_joke"]["jokes"][0])
o["final"] = graph.get_state(c).values

# test_nested_graph_state, test_doubly_nested_graph_state (durability "exit", as the tests): child histories
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
gb = StateGraph(State)
gb.add_node("outer_1", lambda s: {"my_key": "hi " + s["my_key"]})
gb.add_node("inner", inner.compile(interrupt_before=["inner_2"]))
gb.add_node("outer_2", lambda s: {"my_key": s["my_key"] + " and back again"})
gb.set_entry_point("outer_1"); gb.add_edge("outer_1", "inner"); gb.add_edge("inner", "outer_2")
gb.set_finish_point("outer_2")
app = gb.compile(checkpointer=InMemorySaver())
o = out["test_nested_graph_state"] = {}
app.invoke({"my_key": "my value"}, c, durability="exit")
o["childHistory"] = [snap(s) for s in app.get_state_history(app.get_state(c).tasks[0].state)]
o["childState"] = snap(app.get_state(app.get_state(c).tasks[0].state))

class S(TypedDict):
    my_key: str
grandchild = StateGraph(S)
grandchild.add_node("grandchild_1", lambda s: {"my_key": s["my_key"] + " here"})
grandchild.add_node("grandchild_2", lambda s: {"my_key": s["my_key"] + " and there"})
grandchild.add_edge("grandchild_1", "grandchild_2"); grandchild.set_entry_point("grandchild_1")
grandchild.set_finish_point("grandchild_2")
child = StateGraph(S)
child.add_node("child_1", grandchild.compile(interrupt_before=["grandchild_2"]))
child.set_entry_point("child_1"); child.set_finish_point("child_1")
gb = StateGraph(S)
gb.add_node("parent_1", lambda s: {"my_key": "hi " + s["my_key"]})
gb.add_node("child", child.compile())
gb.add_node("parent_2", lambda s: {"my_key": s["my_key"] + " and back again"})
gb.set_entry_point("parent_1"); gb.add_edge("parent_1", "child"); gb.add_edge("child", "parent_2")
gb.set_finish_point("parent_2")
app = gb.compile(checkpointer=InMemorySaver())
o = out["test_doubly_nested_graph_state"] = {}
list(app.stream({"my_key": "my value"}, c, subgraphs=True, durability="exit"))
outer = app.get_state(c)
child_state = app.get_state(outer.tasks[0].state)
o["childState"] = snap(child_state)
o["grandchildState"] = snap(app.get_state(child_state.tasks[0].state))
app.invoke(None, c, durability="exit")
outer_history = list(app.get_state_history(c))
child_history = list(app.get_state_history(outer_history[1].tasks[0].state))
o["childHistory"] = [snap(s) for s in child_history]
o["grandchildHistory"] = [snap(s) for s in app.get_state_history(child_history[0].tasks[0].state)]
print(json.dumps(out, indent=1))
