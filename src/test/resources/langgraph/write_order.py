# Write order inside a step (issue 10 class 3) run against LangGraph 1.2.12; WriteOrderParityTest asserts these
# outputs: edge-triggered tasks' writes first (here declaration order equals name order, Graphloop's documented rule
# and LangGraph's sort agree), then every Send task's, in the order the Sends were produced (by the tasks in that same
# order, a task's Command goto Sends before its conditional edges' Sends), also for Sends produced by Send tasks.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Send, Command

class S(TypedDict):
    value: Annotated[list[str], operator.add]

def show(label, g, inp):

    print(label, g.invoke(inp)["value"])


def w(s):
    return {"value": ["w:" + s["value"][-1]]}

print("== test_send_sequences-like: an edge-triggered node and Sends from the same node, in one step")
b = StateGraph(S)
b.add_node("a", lambda s: {"value": ["a"]})
b.add_node("b", lambda s: {"value": ["b"]})
b.add_node("w", w)
b.add_edge(START, "a"); b.add_edge("a", "b")
b.add_conditional_edges("a", lambda s: [Send("w", {"value": ["x"]}), Send("w", {"value": ["y"]})], ["w"])
b.add_edge("b", END); b.add_edge("w", END)
show("edge-and-send", b.compile(), {"value": []})

print("== Sends produced by two nodes of one step (one by its Command, one by its edges), beside an edge node")
b = StateGraph(S)
b.add_node("p", lambda s: Command(update={"value": ["p"]}, goto=[Send("w", {"value": ["from-p-1"]}), Send("w", {"value": ["from-p-2"]})]))
b.add_node("q", lambda s: {"value": ["q"]})
b.add_node("r", lambda s: {"value": ["r"]})
b.add_node("w", w)
b.add_edge(START, "p"); b.add_edge(START, "q")
b.add_edge("p", "r")
b.add_conditional_edges("q", lambda s: [Send("w", {"value": ["from-q"]}), "r"], ["w", "r"])
b.add_edge("r", END); b.add_edge("w", END)
show("two-producers", b.compile(), {"value": []})

print("== Sends produced by Send tasks (nested map-reduce), beside an edge-triggered node")
b = StateGraph(S)
b.add_node("a", lambda s: {"value": ["a"]})
b.add_node("m", lambda s: {"value": ["m:" + s["value"][-1]]})
b.add_node("v", lambda s: {"value": ["v:" + s["value"][-1]]})
b.add_node("z", lambda s: {"value": ["z"]})
b.add_edge(START, "a")
b.add_conditional_edges("a", lambda s: [Send("m", {"value": ["1"]}), Send("m", {"value": ["2"]}), "z"], ["m", "z"])
b.add_conditional_edges("m", lambda s: [Send("v", {"value": [s["value"][-1] + "." + k]}) for k in "ab"], ["v"])
b.add_edge("z", "v")
b.add_edge("v", END)
show("nested", b.compile(), {"value": []})

# The next three are test_pregel.py's tests with the state a map of one append channel "value" (Graphloop's state is
# a map): a node appends its name, or "name|arg" when a Send gave it a bare argument.
from typing import Literal
class V(TypedDict):
    value: Annotated[list, operator.add]
def named(name):
    def f(s):
        return {"value": [name if isinstance(s, dict) else "|".join((name, str(s)))]}
    return f

print("== test_concurrent_emit_sends")
b = StateGraph(V)
for n in ["1", "1.1", "2", "3", "3.1"]:
    b.add_node(n, named(n))
b.add_edge(START, "1"); b.add_edge(START, "1.1")
b.add_conditional_edges("1", lambda s: [Send("2", 1), Send("2", 2), "3.1"])
b.add_conditional_edges("1.1", lambda s: [Send("2", 3), Send("2", 4)])
def route_to_three(s) -> Literal["3"]:
    return "3"
b.add_conditional_edges("2", route_to_three)
print("concurrent-emit", b.compile().invoke({"value": ["0"]})["value"])

print("== test_cond_edge_after_send")
b = StateGraph(V)
for n in ["1", "2", "3"]:
    b.add_node(n, named(n))
b.add_edge(START, "1")
b.add_conditional_edges("1", lambda s: [Send("2", s), Send("2", s)])
b.add_conditional_edges("2", route_to_three)
print("cond-after-send", b.compile().invoke({"value": ["0"]})["value"])

print("== test_conditional_entrypoint_to_multiple_state_graph")
class O(TypedDict):
    locations: list[str]
    results: Annotated[list[str], operator.add]
w = StateGraph(O)
w.add_node("get_weather", lambda s: {"results": [f"It's {'sunny' if len(s['location']) > 2 else 'cloudy'} in {s['location']}"]})
w.add_edge("get_weather", END)
w.set_conditional_entry_point(lambda s: [Send("get_weather", {"location": l}) for l in s["locations"]], path_map=["get_weather"])
print("entry-sends", w.compile().invoke({"locations": ["sf", "nyc"]}))
