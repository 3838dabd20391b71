# Class 6 (streams) of issue 10, run against LangGraph 1.2.12; StreamParityTest asserts this output.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Command
from langgraph.checkpoint.memory import InMemorySaver

# test_multiple_updates: a node returning several Commands
class S(TypedDict):
    foo: Annotated[str, operator.add]
def node_a(s):
    return [Command(update={"foo": "a1"}), Command(update={"foo": "a2"})]
def node_b(s):
    return {"foo": "b"}
g = StateGraph(S).add_sequence([node_a, node_b]).add_edge(START, "node_a").compile()
print("multiple_updates invoke", g.invoke({"foo": ""}))
print("multiple_updates updates", list(g.stream({"foo": ""}, stream_mode="updates")))
print("multiple_updates values", list(g.stream({"foo": ""}, stream_mode="values")))
print("multiple_updates tasks", [ (c.get("name"), c.get("result", "start")) for c in g.stream({"foo": ""}, stream_mode="tasks")])

# several commands, one with goto, plus a plain dict in the list
def a2(s):
    return [Command(update={"foo": "x"}), {"foo": "y"}, Command(goto="c2")]
def b2(s):
    return {"foo": "b"}
def c2(s):
    return Command(goto="b2")
g2 = StateGraph(S)
g2.add_node("a2", a2); g2.add_node("b2", b2); g2.add_node("c2", c2)
g2.add_edge(START, "a2"); g2.add_edge("b2", END)
g2 = g2.compile()
print("mixed updates", list(g2.stream({"foo": ""}, stream_mode="updates")))
print("mixed invoke", g2.invoke({"foo": ""}))
# one command only in the list
def a3(s):
    return [Command(update={"foo": "only"})]
g3 = StateGraph(S); g3.add_node("a3", a3); g3.add_edge(START, "a3"); g3 = g3.compile()
print("single-in-list updates", list(g3.stream({"foo": ""}, stream_mode="updates")))
def a4(s):
    return [Command(goto=END), Command(update={"foo": "z"})]
g4 = StateGraph(S); g4.add_node("a4", a4); g4.add_edge(START, "a4"); g4 = g4.compile()
print("goto-first updates", list(g4.stream({"foo": ""}, stream_mode="updates")))

# test_debug_subgraphs: debug checkpoint events == history
class M(TypedDict):
    messages: Annotated[list[str], operator.add]
def node(name):
    def _n(s):
        return {"messages": [f"entered {name} node"]}
    return _n
child = StateGraph(M)
child.add_node("c_one", node("c_one")); child.add_node("c_two", node("c_two"))
child.add_edge(START, "c_one"); child.add_edge("c_one", "c_two"); child.add_edge("c_two", END)
parent = StateGraph(M)
parent.add_node("p_one", node("p_one")); parent.add_node("p_two", child.compile())
parent.add_edge(START, "p_one"); parent.add_edge("p_one", "p_two"); parent.add_edge("p_two", END)
for durability in ("sync", "async", "exit"):
    graph = parent.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "1"}}
    events = list(graph.stream({"messages": []}, config, stream_mode="debug", durability=durability))
    cps = list(reversed([e for e in events if e["type"] == "checkpoint"]))
    hist = list(graph.get_state_history(config))
    print("debug_subgraphs", durability, "events", len(cps), "history", len(hist))
    for e in cps:
        p = e["payload"]
        print("  cp", e["step"], p["metadata"]["source"], p["values"], p["next"], [(t["name"], t.get("error"), t.get("interrupts"), "result" in t) for t in p["tasks"]])
    for h in hist:
        print("  h ", h.metadata["step"], h.metadata["source"], h.values, list(h.next), [(t.name, t.error, t.interrupts) for t in h.tasks])
    print("  types", [(e["type"], e["step"], e["payload"].get("name")) for e in events])
