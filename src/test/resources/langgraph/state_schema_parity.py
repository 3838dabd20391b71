# Class 7 (input and state schema) of issue 10, run against LangGraph 1.2.12; StateSchemaParityTest asserts this output.
import operator
from typing import Annotated, Any
from typing_extensions import TypedDict
from pydantic import BaseModel
from langgraph.graph import START, END, StateGraph
from langgraph.graph.message import add_messages
from langgraph.checkpoint.memory import InMemorySaver

# test_empty_invoke: reducer channels of a typed state start at their type's empty value (list -> [], dict -> {});
# Graphloop's typed input of a record with every component null is the empty dict
def merge(a, b):
    return {**a, **b}
class Simple(BaseModel):
    x1: Annotated[list[str], operator.add] = []
    x2: Annotated[dict[str, Any], merge] = {}
seen = []
def n(name, upd):
    def f(s):
        seen.append((name, s.x1, s.x2))
        return upd
    return f
g = StateGraph(Simple)
g.add_node("x1_1", n("x1_1", {"x1": ["111"]})); g.add_node("x1_2", n("x1_2", {"x1": ["222"]}))
g.add_node("x2_1", n("x2_1", {"x2": {"111": 111}})); g.add_node("x2_2", n("x2_2", {"x2": {"222": 222}}))
g.add_edge(START, "x1_1"); g.add_edge("x1_1", "x1_2"); g.add_edge("x1_2", "x2_1"); g.add_edge("x2_1", "x2_2"); g.add_edge("x2_2", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "e"}}
print("empty_invoke values", list(app.stream({}, cfg, stream_mode="values")))
print("empty_invoke seen", seen)
print("empty_invoke history", [(h.metadata["step"], h.values) for h in app.get_state_history(cfg)])

# a reducer channel's start value is its type's empty value: int -> 0, str -> "", float -> 0.0, bool -> False
class Kinds(TypedDict):
    n: Annotated[int, operator.add]
    s: Annotated[str, operator.add]
    f: Annotated[float, operator.add]
    b: Annotated[bool, operator.or_]
    l: Annotated[list, operator.add]
    d: Annotated[dict, merge]
    plain: str
got = []
def first(s):
    got.append(dict(s))
    return {"n": 2, "s": "x", "f": 0.5, "b": True}
g = StateGraph(Kinds); g.add_node("first", first); g.add_edge(START, "first")
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "k"}}
print("kinds result", app.invoke({"plain": "p"}, cfg), "first node saw", got)
print("kinds input checkpoint", [(h.metadata["step"], h.values) for h in app.get_state_history(cfg)][-1])

# test_reducer_before_first_node: a run's input goes through the channel's reducer (add_messages makes "hello" a
# human message) before the first node reads it
class R(TypedDict):
    hello: str
    messages: Annotated[list, add_messages]
saw = []
def node_a(s):
    saw.append({"hello": s["hello"], "messages": [(m.type, m.content) for m in s["messages"]]})
b = StateGraph(R); b.add_node("a", node_a); b.set_entry_point("a"); b.set_finish_point("a")
out = b.compile().invoke({"hello": "there", "messages": "hello"})
print("reducer_before_first_node node saw", saw)
print("reducer_before_first_node out", {"hello": out["hello"], "messages": [(m.type, m.content) for m in out["messages"]]})
