import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt
class S(TypedDict):
    items: Annotated[list, operator.add]
    n: int
def a(s): return {"items": ["a"]}
def b(s): return {"items": ["b:" + str(s.get("n"))]}
def c(s): return {"items": ["c"]}
g = StateGraph(S).add_node("a", a).add_node("b", b).add_node("c", c)
g.add_edge(START, "a").add_edge("a", "b").add_edge("b", END).add_edge("c", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
print("R0", app.invoke(Command(goto="c", update={"items": ["u"], "n": 3}), cfg))
for h in app.get_state_history(cfg): print("H", h.metadata.get("step"), h.metadata.get("source"), h.next, h.values, h.metadata.get("writes"))
print("R1", app.invoke({"items": ["x"]}, cfg))
print("R2", app.invoke(Command(goto="b", update={"n": 9}), cfg))
cfg2 = {"configurable": {"thread_id": "2"}}
print("R3", app.invoke(Command(update={"items": ["only"]}), cfg2))
print("R4", app.invoke(Command(goto=["b","c"]), {"configurable": {"thread_id": "3"}}))
app2 = g.compile()
print("R5", app2.invoke(Command(goto="c", update={"items": ["u"]})))
for u in app2.stream(Command(goto="c", update={"items": ["u"]}), stream_mode="updates"): print("U", u)
for u in app2.stream(Command(goto="c", update={"items": ["u"]}), stream_mode="values"): print("V", u)
