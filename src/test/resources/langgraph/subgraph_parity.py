# Subgraphs (issue 10 class 4) run against LangGraph 1.2.12; SubgraphParityTest asserts these outputs. Each scenario
# names the test of libs/langgraph/tests/test_pregel.py it mirrors (or says what it adds).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, Command, interrupt

def history(app, c):
    return [(s.metadata["source"], s.metadata["step"], list(s.next), s.values) for s in app.get_state_history(c)]

def state(app, c):
    s = app.get_state(c, subgraphs=True)
    out = [list(s.next), s.values, [i.value for i in s.interrupts]]
    for t in s.tasks:
        if t.state is not None:
            out.append((t.name, list(t.state.next), t.state.values, [i.value for i in t.state.interrupts],
                        t.state.config["configurable"]["checkpoint_ns"].split(":")[0]))
    return out

print("== test_doubly_nested_graph_interrupts")
class St(TypedDict):
    my_key: str
gc = StateGraph(St)
gc.add_node("grandchild_1", lambda s: {"my_key": s["my_key"] + " here"})
gc.add_node("grandchild_2", lambda s: {"my_key": s["my_key"] + " and there"})
gc.add_edge("grandchild_1", "grandchild_2"); gc.set_entry_point("grandchild_1"); gc.set_finish_point("grandchild_2")
ch = StateGraph(St)
ch.add_node("child_1", gc.compile(interrupt_before=["grandchild_2"]))
ch.set_entry_point("child_1"); ch.set_finish_point("child_1")
g = StateGraph(St)
g.add_node("parent_1", lambda s: {"my_key": "hi " + s["my_key"]})
g.add_node("child", ch.compile())
g.add_node("parent_2", lambda s: {"my_key": s["my_key"] + " and back again"})
g.set_entry_point("parent_1"); g.add_edge("parent_1", "child"); g.add_edge("child", "parent_2"); g.set_finish_point("parent_2")
app = g.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
print("first", app.invoke({"my_key": "my value"}, c))
print("state", state(app, c))
print("second", app.invoke(None, c))
for h in history(app, c): print(" ", h)
c = {"configurable": {"thread_id": "3"}}
print("values", list(app.stream({"my_key": "my value"}, c, stream_mode="values")))
print("values", list(app.stream(None, c, stream_mode="values")))

print("== test_nested_graph_interrupts_parallel")
class Inner(TypedDict):
    my_key: Annotated[str, operator.add]
    my_other_key: str
inner = StateGraph(Inner)
inner.add_node("inner_1", lambda s: {"my_key": "got here", "my_other_key": s["my_key"]})
inner.add_node("inner_2", lambda s: {"my_key": " and there", "my_other_key": s["my_key"]})
inner.add_edge("inner_1", "inner_2"); inner.set_entry_point("inner_1"); inner.set_finish_point("inner_2")
class Outer(TypedDict):
    my_key: Annotated[str, operator.add]
g = StateGraph(Outer)
g.add_node("inner", inner.compile(interrupt_before=["inner_2"]))
g.add_node("outer_1", lambda s: {"my_key": " and parallel"})
g.add_node("outer_2", lambda s: {"my_key": " and back again"})
g.add_edge(START, "inner"); g.add_edge(START, "outer_1"); g.add_edge(["inner", "outer_1"], "outer_2"); g.set_finish_point("outer_2")
app = g.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
print("first", app.invoke({"my_key": ""}, c))
print("state", state(app, c))
print("second", app.invoke(None, c))
for h in history(app, c): print(" ", h)
app = g.compile(checkpointer=InMemorySaver(), interrupt_after=["outer_1"])
c = {"configurable": {"thread_id": "5"}}
print("after-1", list(app.stream({"my_key": ""}, c, stream_mode="values")))
print("after-2", list(app.stream(None, c, stream_mode="values")))
print("after-3", list(app.stream(None, c, stream_mode="values")))

print("== an interrupt in a subgraph reached by Send, twice in one step; a resume map answers both")
class Item(TypedDict):
    item: str
    results: Annotated[list[str], operator.add]
child = StateGraph(Item)
child.add_node("ask", lambda s: {"results": [s["item"] + ":" + interrupt("approve " + s["item"] + "?")]})
child.add_node("done", lambda s: {"results": [s["item"] + " done"]})
child.add_edge(START, "ask"); child.add_edge("ask", "done"); child.add_edge("done", END)
class P(TypedDict):
    results: Annotated[list[str], operator.add]
g = StateGraph(P)
g.add_node("fan", lambda s: {"results": ["fan"]})
g.add_node("work", child.compile())
g.add_node("end", lambda s: {"results": ["end"]})
g.add_edge(START, "fan")
g.add_conditional_edges("fan", lambda s: [Send("work", {"item": x, "results": []}) for x in ["x", "y"]], ["work"])
g.add_edge("work", "end"); g.add_edge("end", END)
app = g.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "s"}}
r = app.invoke({"results": []}, c)
print("first", r["results"], sorted(i.value for i in r["__interrupt__"]))
print("state", state(app, c))
ids = {i.value: i.id for i in r["__interrupt__"]}
r = app.invoke(Command(resume={ids["approve x?"]: "ok", ids["approve y?"]: "fine"}), c)
print("second", r["results"], r.get("__interrupt__"))
for h in history(app, c): print(" ", h)

print("== test_parent_command_goto_deeply_nested (subgraphs without a checkpointer of their own)")
class D(TypedDict):
    dialog_state: Annotated[list[str], operator.add]
ssb = StateGraph(D)
ssb.add_node("sub_sub_child", lambda s: Command(graph=Command.PARENT, goto="sub_child_3", update={"dialog_state": ["sub_sub_child"]}))
ssb.add_edge(START, "sub_sub_child")
sb = StateGraph(D)
sb.add_node("sub_child_1", lambda s: {"dialog_state": ["sub_child_1"]})
sb.add_node("sub_child_2", ssb.compile(name="sub_sub_graph"), destinations=("sub_child_3",))
sb.add_node("sub_child_3", lambda s: {"dialog_state": ["sub_child_3"]})
sb.add_edge(START, "sub_child_1"); sb.add_edge("sub_child_1", "sub_child_2")
b = StateGraph(D)
b.add_node("child_1", lambda s: {"dialog_state": ["child_1"]})
b.add_node("child_2", sb.compile(name="sub_graph"))
b.add_edge(START, "child_1"); b.add_edge("child_1", "child_2")
app = b.compile(name="main_graph", checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
print("result", app.invoke({"dialog_state": ["init"]}, c))
for h in history(app, c): print(" ", h)

print("== (no LangGraph test of its own) a child with a private key interrupts: the parent's state and result never show it")
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt
class PS(TypedDict):
    foo: str
class CS(TypedDict):
    foo: str
    bar: str
ch = StateGraph(CS)
ch.add_node("c1", lambda s: {"bar": "private", "foo": s["foo"] + "|c1"})
ch.add_node("c2", lambda s: {"foo": s["foo"] + "|c2:" + interrupt("ok?") + ":" + s["bar"]})
ch.add_edge(START, "c1"); ch.add_edge("c1", "c2"); ch.add_edge("c2", END)
pg = StateGraph(PS)
pg.add_node("p", lambda s: {"foo": s["foo"] + "|p"})
pg.add_node("child", ch.compile())
pg.add_edge(START, "p"); pg.add_edge("p", "child"); pg.add_edge("child", END)
app = pg.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
r = app.invoke({"foo": "in"}, c)
print("first", {k: v for k, v in r.items() if k != "__interrupt__"}, [i.value for i in r["__interrupt__"]])
s = app.get_state(c, subgraphs=True)
print("state", s.values, list(s.next), [(t.name, t.state.values, list(t.state.next)) for t in s.tasks])
r = app.invoke(Command(resume="yes"), c)
print("second", r)
print("final", app.get_state(c).values)
