import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt
class S(TypedDict):
    items: Annotated[list, operator.add]
    name: str
def ask(s):
    ans = interrupt("q")
    return {"items": ["ask:" + str(ans) + ":" + str(s.get("name"))]}
def other(s): return {"items": ["other:" + str(s.get("name"))]}
g = StateGraph(S).add_node("ask", ask).add_node("other", other)
g.add_edge(START, "ask").add_edge("ask", END).add_edge("other", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
print("R0", app.invoke({"items": ["in"]}, cfg))
print("R1", app.invoke(Command(resume="yes", update={"name": "Ada", "items": ["upd"]}), cfg))
for h in app.get_state_history(cfg): print("H", h.metadata.get("step"), h.metadata.get("source"), h.next, h.values)
cfg = {"configurable": {"thread_id": "2"}}
print("R2", app.invoke({"items": ["in"]}, cfg))
print("R3", app.invoke(Command(resume="yes", goto="other", update={"name": "B"}), cfg))
# several commands
class T(TypedDict):
    items: Annotated[list, operator.add]
    last: str
def multi(s): return [Command(update={"items": ["m1"]}, goto="x"), Command(update={"items": ["m2"]}, goto="y")]
def x(s): return {"items": ["x"]}
def y(s): return {"items": ["y"]}
g = StateGraph(T).add_node("multi", multi, destinations=("x","y")).add_node("x", x).add_node("y", y)
g.add_edge(START, "multi").add_edge("x", END).add_edge("y", END)
a2 = g.compile()
print("R4", a2.invoke({"items": []}))
for u in a2.stream({"items": []}, stream_mode="updates"): print("U", u)
def multi2(s): return [Command(update={"last": "a"}), Command(update={"last": "b"})]
g = StateGraph(T).add_node("multi", multi2).add_edge(START, "multi").add_edge("multi", END)
try: print("R5", g.compile().invoke({"items": []}))
except Exception as e: print("ERR5", type(e).__name__, str(e)[:100])
def multi3(s): return [Command(goto="x"), {"items": ["plain"]}]
g = StateGraph(T).add_node("multi", multi3).add_node("x", x).add_edge(START, "multi").add_edge("x", END)
try: print("R6", g.compile().invoke({"items": []}))
except Exception as e: print("ERR6", type(e).__name__, str(e)[:150])
def multi4(s): return (Command(goto="x", update={"items": ["t1"]}), Command(goto="x", update={"items": ["t2"]}))
g = StateGraph(T).add_node("multi", multi4).add_node("x", x).add_edge(START, "multi").add_edge("x", END)
try: print("R7", g.compile().invoke({"items": []}))
except Exception as e: print("ERR7", type(e).__name__, str(e)[:150])
