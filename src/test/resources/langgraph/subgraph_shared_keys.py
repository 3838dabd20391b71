import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

class P(TypedDict):
    items: Annotated[list, operator.add]
    name: str
    untouched: str
class C(TypedDict):
    items: Annotated[list, operator.add]
    name: str
    untouched: str
    inner_only: str
def c1(s): return {"items": ["c1"], "inner_only": "x", "name": "child:" + s["name"]}
child = StateGraph(C).add_node("c1", c1).add_edge(START, "c1").add_edge("c1", END).compile()
def p1(s): return {"items": ["p1"]}
g = StateGraph(P).add_node("p1", p1).add_node("sub", child)
g.add_edge(START, "p1").add_edge("p1", "sub").add_edge("sub", END)
app = g.compile()
for u in app.stream({"items": ["in"], "name": "n", "untouched": "u"}, stream_mode="updates"): print("U", u)
print("R", app.invoke({"items": ["in"], "name": "n", "untouched": "u"}))
# parallel writer of same last-value key as subgraph -> error?
def p2(s): return {"untouched": "p2"}
g2 = StateGraph(P).add_node("p2", p2).add_node("sub", child)
g2.add_edge(START, "p2").add_edge(START, "sub").add_edge("sub", END).add_edge("p2", END)
try:
    print("R3", g2.compile().invoke({"items": [], "name": "n", "untouched": "u"}))
except Exception as e: print("ERR3", type(e).__name__, str(e)[:200])
