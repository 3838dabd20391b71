"""LangGraph 1.2.12: a subgraph stopped at a static breakpoint, mirrored by
io.graphloop.runtime.SubgraphBreakpointParityTest (and, over HTTP, src/test/python/sdk_breakpoints.py).

Run with /work/venv-lg/bin/python subgraph_breakpoint.py; the printed values are the Java test's expectations. The
parent's result has no __interrupt__ (as for a breakpoint of the parent itself), its updates stream ends with one
empty {"__interrupt__": ()} chunk, and the thread has the subgraph task due (LangGraph Server's thread status is then
"interrupted": it follows whether the checkpoint has next tasks).
"""
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
class St(TypedDict):
    my_key: str
gc = StateGraph(St)
gc.add_node("inner_1", lambda s: {"my_key": s["my_key"] + " here"})
gc.add_node("inner_2", lambda s: {"my_key": s["my_key"] + " and there"})
gc.add_edge(START, "inner_1"); gc.add_edge("inner_1", "inner_2"); gc.add_edge("inner_2", END)
g = StateGraph(St)
g.add_node("child", gc.compile(interrupt_before=["inner_2"]))
g.add_node("after", lambda s: {"my_key": s["my_key"] + " after"})
g.add_edge(START, "child"); g.add_edge("child", "after"); g.add_edge("after", END)
app = g.compile(checkpointer=InMemorySaver())
for mode in ["updates", "values", ["updates","values"], "debug"]:
    c = {"configurable": {"thread_id": str(mode)}}
    print("sub", mode, list(app.stream({"my_key": "x"}, c, stream_mode=mode)) if mode != "debug" else [e["type"] for e in app.stream({"my_key": "x"}, c, stream_mode=mode)])
c = {"configurable": {"thread_id": "inv"}}
print("sub invoke", app.invoke({"my_key": "x"}, c))
s = app.get_state(c)
print("sub state", s.next, s.interrupts, [(t.name, t.interrupts) for t in s.tasks])
print("sub resume", app.invoke(None, c))

app2 = StateGraph(St)
app2.add_node("a", lambda s: {"my_key": s["my_key"] + " a"}); app2.add_node("b", lambda s: {"my_key": s["my_key"] + " b"})
app2.add_edge(START, "a"); app2.add_edge("a", "b"); app2.add_edge("b", END)
app2 = app2.compile(checkpointer=InMemorySaver(), interrupt_before=["b"])
for mode in ["updates", "values"]:
    c = {"configurable": {"thread_id": mode}}
    print("own", mode, list(app2.stream({"my_key": "x"}, c, stream_mode=mode)))
c = {"configurable": {"thread_id": "inv"}}
print("own invoke", app2.invoke({"my_key": "x"}, c))
