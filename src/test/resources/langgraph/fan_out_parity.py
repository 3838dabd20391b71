# Fan-out, waiting joins, defer, conditional edges and several writes of one node, run against LangGraph 1.2.12
# (test_pregel.py's StateGraph scenarios); FanOutParityTest asserts these outputs. A node that sleeps in LangGraph's
# test waits as long in the Java test (the order of updates inside a step follows the tasks' timing in both).
import operator, time, json
from typing import Annotated, Literal
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

def out(label, value):
    print(label, json.dumps(value, default=repr))

def sorted_add(x, y):
    return sorted(operator.add(x, y))

class State(TypedDict, total=False):
    query: str
    answer: str
    docs: Annotated[list[str], sorted_add]

def rewrite_query(d): return {"query": f"query: {d['query']}"}
def analyzer_one(d): return {"query": f"analyzed: {d['query']}"}
def retriever_one(d): return {"docs": ["doc1", "doc2"]}
def retriever_two(d):
    time.sleep(0.1)
    return {"docs": ["doc3", "doc4"]}
def qa(d): return {"answer": ",".join(d["docs"])}
Q = {"query": "what is weather in sf"}

print("== test_in_one_fan_out_state_graph_waiting_edge_via_branch")
w = StateGraph(State)
for f in (rewrite_query, analyzer_one, retriever_one, retriever_two, qa): w.add_node(f.__name__, f)
w.set_entry_point("rewrite_query")
w.add_edge("rewrite_query", "analyzer_one"); w.add_edge("analyzer_one", "retriever_one")
w.add_conditional_edges("rewrite_query", lambda d: "retriever_two", ["retriever_two"])
w.add_edge(["retriever_one", "retriever_two"], "qa"); w.set_finish_point("qa")
out("via-branch invoke", w.compile().invoke(Q))
out("via-branch stream", list(w.compile().stream(Q)))
app = w.compile(checkpointer=InMemorySaver(), interrupt_after=["retriever_one"])
c = {"configurable": {"thread_id": "1"}}
out("via-branch interrupted", list(app.stream(Q, c, durability="sync")))
s = app.get_state(c)
out("via-branch state", [s.values, list(s.next), s.metadata["source"], s.metadata["step"]])
out("via-branch resumed", list(app.stream(None, c)))
out("via-branch history", [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in app.get_state_history(c)])

print("== test_in_one_fan_out_state_graph_waiting_edge_plus_regular")
def analyzer_slow(d):
    time.sleep(0.1)
    return {"query": f"analyzed: {d['query']}"}
def retriever_slower(d):
    time.sleep(0.2)
    return {"docs": ["doc3", "doc4"]}
w = StateGraph(State)
w.add_node("rewrite_query", rewrite_query); w.add_node("analyzer_one", analyzer_slow)
w.add_node("retriever_one", retriever_one); w.add_node("retriever_two", retriever_slower); w.add_node("qa", qa)
w.set_entry_point("rewrite_query")
w.add_edge("rewrite_query", "analyzer_one"); w.add_edge("analyzer_one", "retriever_one")
w.add_edge("rewrite_query", "retriever_two"); w.add_edge(["retriever_one", "retriever_two"], "qa")
w.set_finish_point("qa"); w.add_edge("rewrite_query", "qa")
out("plus-regular invoke", w.compile().invoke(Q))
out("plus-regular stream", list(w.compile().stream(Q)))
app = w.compile(checkpointer=InMemorySaver(), interrupt_after=["retriever_one"])
c = {"configurable": {"thread_id": "1"}}
out("plus-regular interrupted", list(app.stream(Q, c, durability="sync")))
out("plus-regular resumed", list(app.stream(None, c)))
out("plus-regular history", [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in app.get_state_history(c)])

print("== test_in_one_fan_out_state_graph_waiting_edge_multiple_cond_edge")
w = StateGraph(State)
for f in (rewrite_query, analyzer_one, retriever_one, retriever_two, qa): w.add_node(f.__name__, f)
w.add_node("decider", lambda d: None)
w.set_entry_point("rewrite_query")
w.add_conditional_edges("rewrite_query", lambda d: ["analyzer_one", "retriever_two"])
w.add_edge("analyzer_one", "retriever_one"); w.add_edge(["retriever_one", "retriever_two"], "decider")
w.add_conditional_edges("decider", lambda d: "qa" if d["query"].count("analyzed") > 1 else "rewrite_query")
w.set_finish_point("qa")
out("multiple-cond invoke", w.compile().invoke(Q))
out("multiple-cond stream", list(w.compile().stream(Q)))

print("== test_in_one_fan_out_state_graph_defer_node")
for waiting in (True, False):
    w = StateGraph(State)
    for f in (rewrite_query, analyzer_one, retriever_one, retriever_two): w.add_node(f.__name__, f)
    w.add_node("qa", qa, defer=True)
    w.set_entry_point("rewrite_query")
    w.add_edge("rewrite_query", "retriever_one"); w.add_edge("retriever_one", "analyzer_one")
    w.add_edge("rewrite_query", "retriever_two")
    if waiting:
        w.add_edge(["retriever_one", "retriever_two"], "qa")
    else:
        w.add_edge("retriever_one", "qa"); w.add_edge("retriever_two", "qa")
    w.set_finish_point("qa")
    l = "defer waiting=%s" % waiting
    out(l + " invoke", w.compile().invoke(Q))
    out(l + " stream", list(w.compile().stream(Q)))
    out(l + " debug", [(e["type"], e["step"], e["payload"]["name"], e["payload"].get("input"), e["payload"].get("result"))
                      for e in w.compile().stream(Q, stream_mode="debug")])
    app = w.compile(checkpointer=InMemorySaver(), interrupt_after=["analyzer_one"])
    c = {"configurable": {"thread_id": "1"}}
    out(l + " after interrupted", list(app.stream(Q, c)))
    out(l + " after resumed", list(app.stream(None, c)))
    app = w.compile(checkpointer=InMemorySaver(), interrupt_before=["qa"])
    c = {"configurable": {"thread_id": "2"}}
    out(l + " before interrupted", list(app.stream(Q, c)))
    app.update_state(c, {"docs": ["doc5"]})
    s = app.get_state(c)
    out(l + " before state", [s.values, list(s.next), [t.name for t in s.tasks], s.metadata, s.interrupts])
    out(l + " before resumed", list(app.stream(None, c)))
    out(l + " before history", [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in app.get_state_history(c)])

print("== test_simple_multi_edge")
class MK(TypedDict):
    my_key: Annotated[str, operator.add]
g = StateGraph(MK)
g.add_node("up", lambda s: None); g.add_node("side", lambda s: None)
g.add_node("other", lambda s: {"my_key": "_more"}); g.add_node("down", lambda s: None)
g.set_entry_point("up"); g.add_edge("up", "side"); g.add_edge("up", "other"); g.add_edge(["up", "side"], "down")
g.set_finish_point("down")
app = g.compile()
out("multi-edge invoke", app.invoke({"my_key": "my_value"}))
out("multi-edge stream", list(app.stream({"my_key": "my_value"})))
out("multi-edge values", list(app.stream({"my_key": "my_value"}, stream_mode="values")))

print("== test_multiple_writes_same_channel_from_same_node")
class F(TypedDict):
    foo: Annotated[str, lambda a, b: ", ".join([x for x in [a, b] if x])]
g = (StateGraph(F).add_node("one", lambda s: Command(update=[("foo", "one.0"), ("foo", "one.1")]))
     .add_node("two", lambda s: {"foo": "two"}).add_edge(START, "one").add_edge("one", "two").add_edge("two", END)
     .compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
out("same-channel stream", [(m, {k: v for k, v in e.items() if k not in ("id", "triggers")} if m == "tasks" else e)
                            for m, e in g.stream({"foo": "input"}, c, stream_mode=["updates", "tasks"])])
out("same-channel history", [{"tasks": [{"name": t.name, "result": t.result} for t in s.tasks], "values": s.values}
                             for s in g.get_state_history(c)])
