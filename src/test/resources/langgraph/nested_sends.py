# test_send_to_nested_graphs and test_weather_subgraph of libs/langgraph/tests/test_large_cases.py, run against
# LangGraph 1.2.12, up to their update_state of a subgraph's own state (the rest is subgraph_update_state.py);
# NestedSendsParityTest compares its output with nested_sends.json, which this script writes (python nested_sends.py >
# nested_sends.json). The weather graph's subgraph is a subgraph node (the test calls subgraph.invoke inside a node
# function, which Graphloop does not detect as a subgraph) and its fake models are replaced by fixed answers. Chunks
# are [namespace levels (task ids left out), chunk]; messages are type and content.
import json
import operator
from typing import Annotated, Literal
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph, MessagesState
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, StreamWriter
from langchain_core.messages import BaseMessage

def d(v):
    if isinstance(v, BaseMessage):
        return {"type": v.type, "content": v.content}
    if isinstance(v, dict):
        return {k: d(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [d(x) for x in v]
    return v

def chunks(stream):
    return [[[level.split(":")[0] for level in c[0]], d(c[1])] for c in stream]

def state(s):
    return {"values": d(s.values), "next": list(s.next), "step": s.metadata["step"], "source": s.metadata["source"],
            "subs": [[t.name, d(t.state.values), list(t.state.next), t.state.metadata["step"]]
                     for t in s.tasks if t.state is not None and not isinstance(t.state, dict)]}

out = {}

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
o["state"] = state(graph.get_state(c, subgraphs=True))
o["resumed"] = sorted(graph.stream(None, c), key=lambda x: x["generate_joke"]["jokes"][0])
o["final"] = state(graph.get_state(c, subgraphs=True))
o["history"] = [[s.metadata["source"], s.metadata["step"], list(s.next), s.values] for s in graph.get_state_history(c)]

class SubGraphState(MessagesState):
    city: str
def model_node(state: SubGraphState, writer: StreamWriter):
    writer(" very")
    return {"city": "San Francisco"}
def weather_node(state: SubGraphState, writer: StreamWriter):
    writer(" good")
    return {"messages": [{"role": "assistant", "content": f"I'ts sunny in {state['city']}!", "id": "w1"}]}
sg = StateGraph(SubGraphState)
sg.add_node(model_node); sg.add_node(weather_node)
sg.add_edge(START, "model_node"); sg.add_edge("model_node", "weather_node"); sg.add_edge("weather_node", END)
class RouterState(MessagesState):
    route: Literal["weather", "other"]
def router_node(state: RouterState, writer: StreamWriter):
    writer("I'm")
    return {"route": "weather"}
g = StateGraph(RouterState)
g.add_node(router_node)
g.add_node("normal_llm_node", lambda s: {"messages": [{"role": "assistant", "content": "Hello!", "id": "h1"}]})
g.add_node("weather_graph", sg.compile(interrupt_before=["weather_node"]))
g.add_edge(START, "router_node")
g.add_conditional_edges("router_node", lambda s: "weather_graph" if s["route"] == "weather" else "normal_llm_node",
                        ["weather_graph", "normal_llm_node"])
g.add_edge("normal_llm_node", END); g.add_edge("weather_graph", END)
graph = g.compile(checkpointer=InMemorySaver())
inputs = {"messages": [{"role": "user", "content": "what's the weather in sf", "id": "u1"}]}
o = out["test_weather_subgraph"] = {}
t2 = {"configurable": {"thread_id": "2"}}
o["custom"] = chunks(graph.stream(inputs, t2, stream_mode="custom", subgraphs=True))
o["resumedCustom"] = chunks(graph.stream(None, t2, stream_mode="custom", subgraphs=True))
t1 = {"configurable": {"thread_id": "1"}}
o["updates"] = chunks(graph.stream(inputs, t1, stream_mode="updates", subgraphs=True, durability="exit"))
o["state"] = state(graph.get_state(t1, subgraphs=True))
o["resumedUpdates"] = chunks(graph.stream(None, t1, stream_mode="updates", subgraphs=True))
o["final"] = state(graph.get_state(t1, subgraphs=True))
print(json.dumps(out, indent=1))
