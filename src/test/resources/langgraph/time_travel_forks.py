# Time travel (issue 10 class 5) run against LangGraph 1.2.12; TimeTravelForkParityTest asserts these outputs. Each
# scenario names the test of libs/langgraph/tests/test_time_travel.py it mirrors. A history line is
# (source, step, next, value, index of the parent in the same newest-first list).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from langgraph.checkpoint.memory import InMemorySaver

class State(TypedDict):
    value: Annotated[list[str], operator.add]

def history(g, c):
    h = list(g.get_state_history(c))
    ids = [s.config["configurable"]["checkpoint_id"] for s in h]
    for s in h:
        p = s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None
        print(" ", (s.metadata["source"], s.metadata["step"], list(s.next), s.values.get("value"),
                    ids.index(p) if p in ids else None))

called = []
def node(name, write=None):
    def f(s):
        called.append(name)
        return {"value": [write or name]}
    return f
def asker(name):
    def f(s):
        called.append(name)
        return {"value": [f"human:{interrupt('What is your input?')}"]}
    return f
def chain(*nodes, sub=False):
    b = StateGraph(State)
    for n, fn in nodes:
        b.add_node(n, fn)
    b.add_edge(START, nodes[0][0])
    for (x, _), (y, _) in zip(nodes, nodes[1:]):
        b.add_edge(x, y)
    return b.compile() if sub else b.compile(checkpointer=InMemorySaver())
def show(label, r):
    print(label, r.get("value"), [i.value for i in r.get("__interrupt__", [])], called)
    called.clear()
def first(g, c, nxt, interrupted=False):
    return next(s for s in g.get_state_history(c) if s.next == nxt and (not interrupted or any(t.interrupts for t in s.tasks)))

c = {"configurable": {"thread_id": "1"}}
print("== test_fork_reruns_with_modified_state / test_multiple_forks_from_same_checkpoint")
g = chain(("node_a", node("node_a", "a")), ("node_b", node("node_b", "b")))
show("run", g.invoke({"value": []}, c))
before_b = first(g, c, ("node_b",))
f1 = g.update_state(before_b.config, {"value": ["fork1"]})
show("fork1", g.invoke(None, f1))
f2 = g.update_state(before_b.config, {"value": ["fork2"]})
show("fork2", g.invoke(None, f2))
history(g, c)

print("== test_fork_from_interrupt_checkpoint_refires")
g = chain(("node_a", node("node_a", "a")), ("ask_human", asker("ask_human")), ("node_b", node("node_b", "b")))
show("run", g.invoke({"value": []}, c))
show("resumed", g.invoke(Command(resume="hello"), c))
at = first(g, c, ("ask_human",), interrupted=True)
fork = g.update_state(at.config, {"value": ["forked"]})
show("fork", g.invoke(None, fork))
show("fork resumed", g.invoke(Command(resume="different"), fork))
history(g, c)

print("== test_subgraph_replay_from_before")
sub = chain(("step_a", node("step_a", "sub_a")), ("step_b", node("step_b", "sub_b")), sub=True)
g = chain(("parent_node", node("parent_node", "parent")), ("subgraph", sub), ("post_process", node("post_process", "post")))
show("run", g.invoke({"value": []}, c))
show("replay", g.invoke(None, first(g, c, ("subgraph",)).config))
history(g, c)

print("== test_subgraph_interrupt_replay_from_parent (the subgraph without a checkpointer of its own)")
sub = chain(("step_a", node("step_a", "sub_a")), ("ask_human", asker("ask_human")), ("step_b", node("step_b", "sub_b")), sub=True)
g = chain(("router", node("router", "routed")), ("subgraph_node", sub), ("post_process", node("post_process", "post")))
show("run", g.invoke({"value": []}, c))
show("resumed", g.invoke(Command(resume="answer"), c))
before = [s for s in g.get_state_history(c) if s.next == ("subgraph_node",)][-1]
show("replay", g.invoke(None, before.config))
show("replay resumed", g.invoke(Command(resume="again"), c))
history(g, c)

print("== (no LangGraph test of its own) parallel branches: replay from the step of b and c, then an update as b at that checkpoint")
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
class P(TypedDict):
    value: Annotated[list[str], operator.add]
called = []
def pnode(name):
    def f(s):
        called.append(name)
        return {"value": [name]}
    return f
b = StateGraph(P)
for x in "abcd": b.add_node(x, pnode(x))
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("a", "c"); b.add_edge(["b", "c"], "d"); b.add_edge("d", END)
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "p"}}
def hist():
    h = list(g.get_state_history(c))
    ids = [s.config["configurable"]["checkpoint_id"] for s in h]
    for s in h:
        p = s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None
        print(" ", (s.metadata["source"], s.metadata["step"], list(s.next), s.values.get("value"), ids.index(p) if p in ids else None))
g.invoke({"value": []}, c); called.clear()
bc = next(s for s in g.get_state_history(c) if s.next == ("b", "c"))
print("replay", g.invoke(None, bc.config)["value"], sorted(called)); called.clear()
u = g.update_state(bc.config, {"value": ["B"]}, as_node="b")
s = g.get_state(u)
print("update", s.metadata["source"], s.metadata["step"], list(s.next), s.values["value"])
print("proceed", g.invoke(None, u)["value"], sorted(called)); called.clear()
hist()
