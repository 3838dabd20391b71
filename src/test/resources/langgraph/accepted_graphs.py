# Class 8 (graphs LangGraph accepts) of issue 10, run against LangGraph 1.2.12; AcceptedGraphsTest asserts this output.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Command
from langgraph.checkpoint.memory import InMemorySaver

# test_function_in_conditional_edges_with_no_path_map
class Q(TypedDict, total=False):
    query: str
w = StateGraph(Q)
w.add_node("rewriter", lambda d: {"query": f"query: {d['query']}"})
w.add_node("analyzer", lambda d: {"query": f"analyzed: {d['query']}"})
w.add_conditional_edges("rewriter", lambda d: "analyzer")
w.set_entry_point("rewriter")
app = w.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "q"}}
print("no_path_map", app.invoke({"query": "what is weather in sf"}, cfg))
print("no_path_map history", [(h.metadata["step"], h.next) for h in app.get_state_history(cfg)])

# test_node_destinations: a subgraph node whose child routes the parent (Command.PARENT); node_b/node_c have no edge
class S(TypedDict):
    foo: Annotated[str, operator.add]
def node_a(s):
    return Command(update={"foo": s["foo"]}, goto="node_b" if s["foo"] == "a" else "node_c", graph=Command.PARENT)
sub = StateGraph(S).add_node(node_a).add_edge(START, "node_a").compile()
b = StateGraph(S)
b.add_edge(START, "child"); b.add_node("child", sub, destinations=("node_b", "node_c"))
b.add_node("node_b", lambda s: {"foo": "b"}); b.add_node("node_c", lambda s: {"foo": "c"})
g = b.compile(checkpointer=InMemorySaver())
print("destinations ''", g.invoke({"foo": ""}, {"configurable": {"thread_id": "d1"}}))
print("destinations 'a'", g.invoke({"foo": "a"}, {"configurable": {"thread_id": "d2"}}))
print("destinations updates", list(g.stream({"foo": "a"}, {"configurable": {"thread_id": "d3"}}, stream_mode="updates")))
print("destinations state", g.get_state({"configurable": {"thread_id": "d3"}}).next)
print("destinations edges", g.get_graph().to_json()["edges"])

# test_graph_validation: an edge from an unknown node fails compile; two writes to a last-value key fail the run
class H(TypedDict):
    hello: str
g = StateGraph(H); g.add_node("start", lambda x: x); g.add_edge("__start__", "start"); g.add_edge("unknown", "start"); g.add_edge("start", "__end__")
try:
    g.compile()
except ValueError as e:
    print("unknown source", e)
b = StateGraph(H)
for n in "abc":
    b.add_node(n, lambda s: {"hello": "world"})
b.set_entry_point("a"); b.add_edge("a", "b"); b.add_edge("a", "c")
try:
    b.compile().invoke({"hello": "there"})
except Exception as e:
    print("two writes", type(e).__name__, str(e).splitlines()[0])

# a node with no outgoing edge among others: the run ends after the last node with nothing due
b = StateGraph(S)
b.add_node("a", lambda s: {"foo": "a"}); b.add_node("b", lambda s: {"foo": "b"}); b.add_node("c", lambda s: {"foo": "c"})
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("a", "c"); b.add_edge("b", END)
app = b.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "x"}}
print("dead end", app.invoke({"foo": ""}, cfg), app.get_state(cfg).next)
# a node unreachable from START (no incoming edge) is accepted, never runs
b = StateGraph(S)
b.add_node("a", lambda s: {"foo": "a"}); b.add_node("orphan", lambda s: {"foo": "o"})
b.add_edge(START, "a")
print("orphan", b.compile().invoke({"foo": ""}))

# test_conditional_entrypoint_to_multiple_state_graph: a router from START returning Sends
from langgraph.types import Send
class O(TypedDict):
    locations: list[str]
    results: Annotated[list[str], operator.add]
w = StateGraph(O)
w.add_node("get_weather", lambda s: {"results": [f"It's {'sunny' if len(s['location']) > 2 else 'cloudy'} in {s['location']}"]})
w.add_edge("get_weather", END)
w.set_conditional_entry_point(lambda s: [Send("get_weather", {"location": l}) for l in s["locations"]], path_map=["get_weather"])
print("conditional entry sends", w.compile().invoke({"locations": ["sf", "nyc"]}))

# test_conditional_state_graph_with_list_edge_inputs: a join into END
class F(TypedDict):
    foo: Annotated[list[str], operator.add]
b = StateGraph(F)
b.add_node("A", lambda x: {"foo": ["A"]}); b.add_node("B", lambda x: {"foo": ["B"]})
b.add_edge(START, "A"); b.add_edge(START, "B"); b.add_edge(["A", "B"], END)
app = b.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "j"}}
print("join into END", app.invoke({"foo": []}, cfg), [(h.metadata["step"], h.next) for h in app.get_state_history(cfg)])
