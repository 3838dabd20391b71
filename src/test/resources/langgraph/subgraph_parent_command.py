import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

class P(TypedDict):
    items: Annotated[list, operator.add]
    count: int
class C(TypedDict):
    items: Annotated[list, operator.add]
    count: int
    secret: str

def c1(s): return {"items": ["c1"], "secret": "hidden", "count": 5}
def c2(s): return Command(graph=Command.PARENT, goto="p_after", update={"items": ["from_c2"], "count": 7})
def c3(s): return {"items": ["c3"]}
child = StateGraph(C).add_node("c1", c1).add_node("c2", c2).add_node("c3", c3)
child.add_edge(START, "c1").add_edge("c1", "c2").add_edge("c2", "c3").add_edge("c3", END)
child = child.compile()

def p1(s): return {"items": ["p1"], "count": 1}
def p_after(s): return {"items": ["after:" + str(s["count"])]}
def p_other(s): return {"items": ["other"]}
g = StateGraph(P).add_node("p1", p1).add_node("sub", child, destinations=("p_after",)).add_node("p_after", p_after).add_node("p_other", p_other)
g.add_edge(START, "p1").add_edge("p1", "sub").add_edge("sub", "p_other").add_edge("p_other", END).add_edge("p_after", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
print("R", app.invoke({"items": ["in"]}, cfg))
for u in app.stream({"items": ["in"]}, {"configurable": {"thread_id": "2"}}, stream_mode="updates", subgraphs=True): print("U", u)
# no checkpointer
app2 = g.compile()
print("R2", app2.invoke({"items": ["in"]}))
