import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt
class S(TypedDict):
    items: Annotated[list, operator.add]
def ask(s):
    a = interrupt("q-" + str(len(s["items"])))
    return {"items": ["ans:" + str(a)]}
inner = StateGraph(S).add_node("ask", ask).add_edge(START, "ask").add_edge("ask", END).compile()
# middle wraps inner (2 levels)
middle = StateGraph(S).add_node("m", lambda s: {"items": ["m"]}).add_node("inner", inner).add_edge(START, "m").add_edge("m", "inner").add_edge("inner", END).compile()
def solo(s):
    a = interrupt("solo?")
    return {"items": ["solo:" + str(a)]}
g = StateGraph(S).add_node("middle", middle).add_node("solo", solo).add_edge(START, "middle").add_edge(START, "solo").add_edge("middle", END).add_edge("solo", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
r = app.invoke({"items": ["in"]}, cfg)
print("R0", r)
ints = r["__interrupt__"]
try:
    app.invoke(Command(resume="x"), cfg)
except Exception as e: print("ERR", type(e).__name__)
st = app.get_state(cfg, subgraphs=True)
print("TASKS", [(t.name, [i.value for i in t.interrupts]) for t in st.tasks])
mid = [t for t in st.tasks if t.name == "middle"][0].state
print("MID", mid.values, mid.next, [(t.name, [i.value for i in t.interrupts], t.state.values if t.state else None) for t in mid.tasks])
byval = {i.value: i.id for i in ints}
r1 = app.invoke(Command(resume={byval["q-2"]: "deep", byval["solo?"]: "top"}), cfg)
print("R1", r1)
# resume only one
cfg = {"configurable": {"thread_id": "2"}}
r = app.invoke({"items": ["in"]}, cfg)
byval = {i.value: i.id for i in r["__interrupt__"]}
r2 = app.invoke(Command(resume={byval["q-2"]: "deep"}), cfg)
print("R2", r2)
r3 = app.invoke(Command(resume="top"), cfg)
print("R3", r3)
