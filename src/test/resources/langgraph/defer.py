# defer=True nodes, run against LangGraph 1.2.12; DeferTest asserts these outputs.
import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import Send
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    log: Annotated[list, operator.add]

def node(name):
    return lambda s: {"log": [name]}

# 1: test_defer_nodes-like: START -> a -> (b, c); b -> b2; [b2, c] all -> d deferred (plain edges)
b = StateGraph(S)
for n in ["a", "b", "b2", "c", "d"]:
    b.add_node(n, node(n), defer=(n == "d"))
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("a", "c"); b.add_edge("b", "b2")
b.add_edge("b2", "d"); b.add_edge("c", "d"); b.add_edge("d", END)
g = b.compile()
print("1", g.invoke({"log": []}))
print("1s", [list(c.keys())[0] for c in g.stream({"log": []}, stream_mode="updates")])

# 2: deferred join target: [b2, c] -> d
b = StateGraph(S)
for n in ["a", "b", "b2", "c", "d"]:
    b.add_node(n, node(n), defer=(n == "d"))
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("a", "c"); b.add_edge("b", "b2")
b.add_edge(["b2", "c"], "d"); b.add_edge("d", END)
print("2", b.compile().invoke({"log": []}))

# 3: map-reduce with Sends of different depth, deferred reducer
def fan(s): return [Send("w", {"log": ["x"]}), Send("w", {"log": ["y"]})]
b = StateGraph(S)
b.add_node("start", node("start"))
b.add_node("agg", lambda s: {"log": ["agg:" + str(len(s["log"]))]}, defer=True)
b.add_node("w", node("w")); b.add_node("w2", node("w2"))
b.add_edge(START, "start"); b.add_conditional_edges("start", fan, ["w"]); b.add_edge("w", "w2")
b.add_edge("start", "agg"); b.add_edge("w2", "agg"); b.add_edge("agg", END)
g = b.compile()
print("3", g.invoke({"log": []}))
print("3s", [list(c.keys())[0] for c in g.stream({"log": []}, stream_mode="updates")])

# 4: deferred node in a loop: loop a until len>=4, d deferred triggered by a each time
def route(s): return "a" if len(s["log"]) < 4 else END
b = StateGraph(S)
b.add_node("a", node("a")); b.add_node("d", node("d"), defer=True)
b.add_edge(START, "a"); b.add_conditional_edges("a", route, ["a", END]); b.add_edge("a", "d"); b.add_edge("d", END)
g = b.compile()
print("4", g.invoke({"log": []}))
# 5: interrupt_before the deferred node with checkpointer, then resume
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["d"])
cfg = {"configurable": {"thread_id": "t"}}
print("5", g.invoke({"log": []}, cfg), g.get_state(cfg).next)
print("5b", g.invoke(None, cfg))

# 8: a deferred node waits across an interrupt (restored from the checkpoint)
b = StateGraph(S)
for n in ["a", "b", "c", "d"]:
    b.add_node(n, node(n), defer=(n == "d"))
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("b", "c"); b.add_edge("a", "d"); b.add_edge("c", END); b.add_edge("d", END)
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["c"])
cfg = {"configurable": {"thread_id": "t8"}}
print("8", g.invoke({"log": []}, cfg), g.get_state(cfg).next)
print("8b", g.invoke(None, cfg))
# 9: START -> d (deferred) alone; START -> d and START -> a
b = StateGraph(S)
b.add_node("d", node("d"), defer=True); b.add_edge(START, "d"); b.add_edge("d", END)
print("9", b.compile().invoke({"log": []}))
b = StateGraph(S)
b.add_node("d", node("d"), defer=True); b.add_node("a", node("a")); b.add_edge(START, "d"); b.add_edge(START, "a"); b.add_edge("d", END); b.add_edge("a", END)
print("9b", b.compile().invoke({"log": []}))
