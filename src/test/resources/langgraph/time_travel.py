# Time travel (replay, fork, __copy__) run against LangGraph 1.2.12; TimeTravelParityTest asserts these outputs.
# Each scenario names the test of libs/langgraph/tests/test_time_travel.py it mirrors. A history line is
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
    out = []
    for s in h:
        p = s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None
        out.append((s.metadata["source"], s.metadata["step"], list(s.next), s.values.get("value"),
                    ids.index(p) if p in ids else None))
    return out

called = []
def node(name):
    def f(s):
        called.append(name)
        return {"value": [f"{name}{called.count(name)}"]}
    return f
def asker(name, question):
    def f(s):
        called.append(name)
        return {"value": [f"{name}:{interrupt(question)}"]}
    return f
def graph(*nodes):
    b = StateGraph(State)
    for n, fn in nodes:
        b.add_node(n, fn)
    b.add_edge(START, nodes[0][0])
    for (x, _), (y, _) in zip(nodes, nodes[1:]):
        b.add_edge(x, y)
    return b.compile(checkpointer=InMemorySaver())
def due(g, c, n):
    return [s for s in g.get_state_history(c) if s.next == (n,)][-1]
def show(label, r):
    print(label, r.get("value"), [i.value for i in r.get("__interrupt__", [])], called)
    called.clear()

c = {"configurable": {"thread_id": "t"}}
print("== test_replay_reruns_nodes_after_checkpoint / test_replay_creates_branch_preserving_old_checkpoints")
g = graph(("a", node("a")), ("b", node("b")), ("c", node("c")))
show("run", g.invoke({"value": []}, c))
show("replay", g.invoke(None, due(g, c, "b").config))
for line in history(g, c): print(" ", line)

print("== test_replay_from_final_checkpoint_is_noop")
g = graph(("a", node("a")))
g.invoke({"value": []}, c); called.clear()
show("replay", g.invoke(None, g.get_state(c).config))
for line in history(g, c): print(" ", line)

print("== test_replay_from_before_interrupt_then_resume / test_replay_interrupt_stable_across_replays")
g = graph(("a", node("a")), ("ask", asker("ask", "Q?")), ("b", node("b")))
g.invoke({"value": []}, c)
show("resumed", g.invoke(Command(resume="old"), c))
before = due(g, c, "ask")
show("replay", g.invoke(None, before.config))
show("replay again", g.invoke(None, before.config))
show("resume", g.invoke(Command(resume="new"), c))
for line in history(g, c): print(" ", line)

print("== test_sequential_interrupts_fork_from_middle")
g = graph(("a", node("a")), ("i1", asker("i1", "First?")), ("i2", asker("i2", "Second?")), ("b", node("b")))
g.invoke({"value": []}, c); g.invoke(Command(resume="ans1"), c)
show("done", g.invoke(Command(resume="ans2"), c))
fork = g.update_state(due(g, c, "i2").config, {"value": ["mid"]})
show("fork", g.invoke(None, fork))
show("fork resumed", g.invoke(Command(resume="new"), fork))
show("replay i1", g.invoke(None, [s for s in g.get_state_history(c) if s.next == ("i1",)][-1].config))
for line in history(g, c): print(" ", line)

print("== test_multiple_interrupts_in_one_node")
def multi(s):
    return {"value": [f"a1:{interrupt('First?')}", f"a2:{interrupt('Second?')}"]}
g = graph(("ask", multi), ("after", node("after")))
g.invoke({"value": []}, c)
show("second", g.invoke(Command(resume="ans1"), g.get_state(c).config))
show("done", g.invoke(Command(resume="ans2"), g.get_state(c).config))
show("replay", g.invoke(None, due(g, c, "ask").config))
for line in history(g, c): print(" ", line)

print("== test_copy_fork_retriggers_interrupt / test_copy_fork_creates_sibling_checkpoint / test_update_state_with_none_values")
g = graph(("a", node("a")), ("ask", asker("ask", "Q?")), ("b", node("b")))
g.invoke({"value": []}, c); g.invoke(Command(resume="hello"), c); called.clear()
before = due(g, c, "ask")
update = g.get_state(g.update_state(before.config, None))
print("update None", update.metadata["source"], update.metadata["step"], update.next, update.values)
copy = g.update_state(before.config, None, as_node="__copy__")
state = g.get_state(copy)
print("copy", state.metadata["source"], state.metadata["step"], state.next, state.values,
      state.parent_config["configurable"]["checkpoint_id"] == before.parent_config["configurable"]["checkpoint_id"])
show("copy run", g.invoke(None, copy))
show("copy resumed", g.invoke(Command(resume="new"), copy))
for line in history(g, c): print(" ", line)

print("== resume an answered interrupt at its earlier checkpoint (no test of its own; _loop.py _first: replaying but")
print("   not time traveling keeps the stored RESUME writes, so the task re-runs with the old answer)")
g = graph(("a", node("a")), ("ask", asker("ask", "Q?")), ("b", node("b")))
g.invoke({"value": []}, c)
show("resumed", g.invoke(Command(resume="old"), c))
before = due(g, c, "ask")
show("resume earlier", g.invoke(Command(resume="new"), before.config))
for line in history(g, c): print(" ", line)
