# Sends whose argument is not a map, run against LangGraph 1.2.12; SendArgumentTest asserts these outputs.
import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import Send

class S(TypedDict):
    items: Annotated[list, operator.add]

def fan(s):
    return [Send("n", 3), Send("n", "x"), Send("n", [1, 2]), Send("n", None), Send("n", {"k": 1}), Send("n", 2.5)]
def n(arg):
    return {"items": [arg]}
b = StateGraph(S)
b.add_node("start", lambda s: {"items": ["start"]})
b.add_node("n", n)
b.add_edge(START, "start"); b.add_conditional_edges("start", fan, ["n"]); b.add_edge("n", END)
g = b.compile()
print("1", g.invoke({"items": []}))
for c in g.stream({"items": []}, stream_mode="tasks"):
    if "input" in c and c["name"] == "n": print("2", repr(c["input"]))
