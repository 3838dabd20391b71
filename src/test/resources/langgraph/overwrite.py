# Overwrite scenarios run against LangGraph 1.2.12; their printed outputs are what OverwriteTest asserts.
import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import Overwrite, Command
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    messages: Annotated[list, operator.add]
    total: Annotated[int, operator.add]
    last: str

def g1():
    b = StateGraph(S)
    b.add_node("node_a", lambda s: {"messages": ["a"]})
    b.add_node("node_b", lambda s: {"messages": Overwrite(value=["b"])})
    b.add_edge(START, "node_a"); b.add_edge("node_a", "node_b")
    return b.compile()
print("1", g1().invoke({"messages": ["START"]}))

# parallel: overwrite and normal in the same step, both orders
for order in (("x","o"),("o","x")):
    b = StateGraph(S)
    for n in order:
        if n == "x": b.add_node("x", lambda s: {"messages": ["x"], "total": 5})
        else: b.add_node("o", lambda s: {"messages": Overwrite(["o"]), "total": Overwrite(100)})
        b.add_edge(START, n)
    print("2", order, b.compile().invoke({"messages": ["in"], "total": 1}))

# two overwrites same step
b = StateGraph(S)
b.add_node("p", lambda s: {"messages": Overwrite(["p"])})
b.add_node("q", lambda s: {"messages": Overwrite(["q"])})
b.add_edge(START, "p"); b.add_edge(START, "q")
try:
    print(b.compile().invoke({"messages": []}))
except Exception as e:
    print("3", type(e).__name__, repr(str(e)))

# dict forms
b = StateGraph(S)
b.add_node("d", lambda s: {"messages": {"__overwrite__": ["d"]}})
b.add_node("e", lambda s: {"total": {"type": "__overwrite__", "value": 7}})
b.add_edge(START, "d"); b.add_edge("d", "e")
print("4", b.compile().invoke({"messages": ["in"], "total": 3}))

# input overwrite
print("5", g1().invoke({"messages": Overwrite(["only"])}))
# last value channel with Overwrite
b = StateGraph(S)
b.add_node("l", lambda s: {"last": Overwrite("v")})
b.add_edge(START, "l")
print("6", b.compile().invoke({"messages": []}))
# Command update with Overwrite
b = StateGraph(S)
b.add_node("c", lambda s: Command(update={"messages": Overwrite(["cmd"])}, goto="f"))
b.add_node("f", lambda s: {"messages": ["f"]})
b.add_edge(START, "c")
print("7", b.compile().invoke({"messages": ["in"]}))
# update_state with Overwrite
g = g1().builder.compile(checkpointer=InMemorySaver()) if hasattr(g1(),'builder') else None
b = StateGraph(S)
b.add_node("node_a", lambda s: {"messages": ["a"]})
b.add_edge(START, "node_a")
g = b.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
g.invoke({"messages": ["in"]}, cfg)
g.update_state(cfg, {"messages": Overwrite(["upd"])})
print("8", g.get_state(cfg).values)
g.update_state(cfg, {"messages": ["more"]})
print("8b", g.get_state(cfg).values)
# overwrite with None
b = StateGraph(S)
b.add_node("n", lambda s: {"messages": Overwrite(None)})
b.add_edge(START, "n")
print("9", b.compile().invoke({"messages": ["in"]}))
# stream updates shows what?
print("10", list(g1().stream({"messages": ["START"]}, stream_mode="updates")))

# thread: an Overwrite in a later run's input replaces the stored list
b = StateGraph(S)
b.add_node("node_a", lambda s: {"messages": ["a"]})
b.add_edge(START, "node_a")
g = b.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
print("11", g.invoke({"messages": ["in"]}, cfg))
print("11b", g.invoke({"messages": Overwrite(["fresh"])}, cfg))
