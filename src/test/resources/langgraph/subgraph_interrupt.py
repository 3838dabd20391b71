import operator, json
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import interrupt, Command

class S(TypedDict):
    my_key: Annotated[str, operator.add]
    market: str

def inner_1(s): return {"my_key": " inner_1", "market": "US"}
def inner_2(s):
    ans = interrupt({"q": "approve?", "seen": s["my_key"]})
    return {"my_key": " inner_2:" + str(ans)}
inner = StateGraph(S).add_node("inner_1", inner_1).add_node("inner_2", inner_2)
inner.add_edge(START, "inner_1").add_edge("inner_1", "inner_2").add_edge("inner_2", END)
inner = inner.compile()

def outer_1(s): return {"my_key": " outer_1"}
def outer_2(s): return {"my_key": " outer_2"}
g = StateGraph(S).add_node("outer_1", outer_1).add_node("inner", inner).add_node("outer_2", outer_2)
g.add_edge(START, "outer_1").add_edge("outer_1", "inner").add_edge("inner", "outer_2").add_edge("outer_2", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
r = app.invoke({"my_key": "my value", "market": "DE"}, cfg)
print("RESULT1", r)
st = app.get_state(cfg)
print("NEXT", st.next, "TASKS", st.tasks)
st2 = app.get_state(cfg, subgraphs=True)
print("SUBSTATE", st2.tasks[0].state)
print("INTERRUPTS", st.interrupts)
for c in app.stream(None, cfg, subgraphs=True, stream_mode="updates"): pass
r2 = app.invoke(Command(resume="yes"), cfg)
print("RESULT2", r2)
for h in app.get_state_history(cfg):
    print("H", h.metadata.get("step"), h.metadata.get("source"), h.next, h.config["configurable"].get("checkpoint_ns"))
print("CKPTS", [ (c.config["configurable"]["checkpoint_ns"], c.metadata["step"], c.metadata["source"]) for c in app.checkpointer.list(None)])
