"""A node's write to a key outside the state schema, in LangGraph 1.2.12 (mirrored by
io.graphloop.runtime.OutsideSchemaTest). Run with /work/venv-lg/bin/python outside_schema.py.

Output (1.2.12):
typed result {'a': 'hi!', 'items': ['x']}
updates [{'n': {'a': 'hi!', 'items': ['x']}}, {'m': None}]
update_state {'a': 'hi!', 'items': ['x']}
command {'a': 'c', 'items': []} [{'c': {'a': 'c'}}]
dict result {'a': 'hi!', 'zzz': 1, 'items': ['x']}
"""
import operator
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command


class S(TypedDict):
    a: str
    items: Annotated[list, operator.add]


def n(s):
    return {"a": s["a"] + "!", "zzz": 1, "items": ["x"]}


def only_outside(s):
    return {"zzz": 2}


def c(s):
    return Command(update={"zzz": 9, "a": "c"})


g = (StateGraph(S).add_node("n", n).add_node("m", only_outside).add_edge(START, "n").add_edge("n", "m")
     .add_edge("m", END).compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "1"}}
print("typed result", g.invoke({"a": "hi", "items": []}, cfg))
print("updates", list(g.stream({"a": "hi", "items": []}, {"configurable": {"thread_id": "2"}}, stream_mode="updates")))
g.update_state(cfg, {"zzz": 3})
print("update_state", g.get_state(cfg).values)
g4 = StateGraph(S).add_node("c", c).add_edge(START, "c").compile()
print("command", g4.invoke({"a": "hi"}), list(g4.stream({"a": "hi"}, stream_mode="updates")))
g2 = StateGraph(dict).add_node("n", n).add_edge(START, "n").compile()
print("dict result", g2.invoke({"a": "hi", "items": []}))
