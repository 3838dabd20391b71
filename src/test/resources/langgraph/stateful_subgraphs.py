# Subgraph persistence (LangGraph's compile(checkpointer=True | None | False)) and time travel with stateful subgraphs,
# run against LangGraph 1.2.12; StatefulSubgraphParityTest asserts these outputs. Each scenario names the test of
# libs/langgraph/tests/test_time_travel.py it mirrors (or says what it adds).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt


class SubState(TypedDict):
    value: Annotated[list[str], operator.add]


class ParentState(TypedDict):
    results: Annotated[list[str], operator.add]


def nexts(app, c):
    return [(s.metadata["source"], list(s.next)) for s in app.get_state_history(c)]


def two_asks(checkpointer, seen):
    def step_a(s):
        seen.append(("step_a", dict(s)))
        answer = interrupt("question_a")
        return {"value": [f"a:{answer}"]}

    def step_b(s):
        seen.append(("step_b", dict(s)))
        answer = interrupt("question_b")
        return {"value": [f"b:{answer}"]}

    sub = (StateGraph(SubState).add_node("step_a", step_a).add_node("step_b", step_b)
           .add_edge(START, "step_a").add_edge("step_a", "step_b").compile(checkpointer=checkpointer))
    return (StateGraph(ParentState).add_node("parent_node", lambda s: {"results": ["p"]}).add_node("sub_node", sub)
            .add_edge(START, "parent_node").add_edge("parent_node", "sub_node").compile(checkpointer=InMemorySaver()))


for mode in (True, None, False):
    print(f"== test_stateful_subgraph_retains_state_on_parent_replay / test_stateless_subgraph_starts_fresh_on_parent_replay checkpointer={mode}")
    seen = []
    app = two_asks(mode, seen)
    c = {"configurable": {"thread_id": "1"}}
    for inp in ({"results": []}, Command(resume="a1"), Command(resume="b1"),
                {"results": []}, Command(resume="a2"), Command(resume="b2")):
        r = app.invoke(inp, c)
        print("run", r.get("results"), [i.value for i in r.get("__interrupt__", [])])
    print("seen", seen)
    before_sub_2nd = [s for s in app.get_state_history(c) if s.next == ("sub_node",)][0]
    seen.clear()
    r = app.invoke(None, before_sub_2nd.config)
    print("replay", r.get("results"), [i.value for i in r.get("__interrupt__", [])])
    print("seen", seen)
    s = app.get_state(c, subgraphs=True)
    print("state", list(s.next), [(t.name, None if t.state is None else (list(t.state.next), t.state.values,
          t.state.config["configurable"]["checkpoint_ns"].split(":")[0])) for t in s.tasks])
    seen.clear()
    r = app.invoke(Command(resume="a3"), c)
    print("resume", r.get("results"), [i.value for i in r.get("__interrupt__", [])])
    print("seen", seen)

print("== test_stateful_subgraph_retains_state_on_parent_fork")
seen = []
app = two_asks(True, seen)
c = {"configurable": {"thread_id": "1"}}
for inp in ({"results": []}, Command(resume="a1"), Command(resume="b1"),
            {"results": []}, Command(resume="a2"), Command(resume="b2")):
    app.invoke(inp, c)
before_sub_2nd = [s for s in app.get_state_history(c) if s.next == ("sub_node",)][0]
fork = app.update_state(before_sub_2nd.config, {"results": ["forked"]})
seen.clear()
r = app.invoke(None, fork)
print("fork", r.get("results"), [i.value for i in r.get("__interrupt__", [])])
print("seen", seen)


def one_step(checkpointer, seen, parent_nodes):
    def sub_step(s):
        seen.append(("sub_step", dict(s)))
        return {"value": ["s"]}

    sub = StateGraph(SubState).add_node("sub_step", sub_step).add_edge(START, "sub_step").compile(checkpointer=checkpointer)
    g = StateGraph(ParentState)
    prev = START
    for n in parent_nodes:
        g.add_node(n, (lambda name: lambda s: {"results": [name]})(n))
        g.add_edge(prev, n)
        prev = n
    g.add_node("sub_node", sub).add_edge(prev, "sub_node")
    return g.compile(checkpointer=InMemorySaver())


print("== test_stateful_subgraph_loads_state_across_ticks")
seen = []
app = one_step(True, seen, ["node_a", "node_b"])
c = {"configurable": {"thread_id": "1"}}
print("run", app.invoke({"results": []}, c))
print("run", app.invoke({"results": []}, c))
print("seen", seen)
seen.clear()
before_a_2nd = [s for s in app.get_state_history(c) if s.next == ("node_a",)][0]
print("replay", app.invoke(None, before_a_2nd.config))
print("seen", seen)

print("== test_stateful_subgraph_loads_latest_after_replay")
seen = []
app = one_step(True, seen, ["parent_node"])
app.invoke({"results": []}, c)
app.invoke({"results": []}, c)
print("seen", seen)
seen.clear()
before_parent_2nd = [s for s in app.get_state_history(c) if s.next == ("parent_node",)][0]
print("replay", app.invoke(None, before_parent_2nd.config))
print("run", app.invoke({"results": []}, c))
print("seen", seen)

print("== test_replay_from_first_invocation_checkpoint")
seen = []
app = one_step(True, seen, ["parent_node"])
app.invoke({"results": []}, c)
app.invoke({"results": []}, c)
seen.clear()
before_sub_1st = [s for s in app.get_state_history(c) if s.next == ("sub_node",)][-1]
print("replay", app.invoke(None, before_sub_1st.config))
print("seen", seen)

print("== checkpointer=None and False across invocations (per-invocation and no checkpoints)")
for mode in (None, False):
    seen = []
    app = one_step(mode, seen, ["parent_node"])
    c = {"configurable": {"thread_id": "n" + str(mode)}}
    app.invoke({"results": []}, c)
    app.invoke({"results": []}, c)
    print(mode, "seen", seen)

print("== test_parallel_subgraph_nodes_load_correct_state_on_replay")
class SubA(TypedDict):
    a_trail: Annotated[list[str], operator.add]
class SubB(TypedDict):
    b_trail: Annotated[list[str], operator.add]
seen = []
def sa(s):
    seen.append(("sub_a", dict(s))); return {"a_trail": ["a"]}
def sb(s):
    seen.append(("sub_b", dict(s))); return {"b_trail": ["b"]}
sub_a = StateGraph(SubA).add_node("sub_a_step", sa).add_edge(START, "sub_a_step").compile(checkpointer=True)
sub_b = StateGraph(SubB).add_node("sub_b_step", sb).add_edge(START, "sub_b_step").compile(checkpointer=True)
app = (StateGraph(ParentState).add_node("parent_step", lambda s: {"results": ["p"]}).add_node("sub_a_node", sub_a)
       .add_node("sub_b_node", sub_b).add_edge(START, "parent_step").add_edge("parent_step", "sub_a_node")
       .add_edge("parent_step", "sub_b_node").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
app.invoke({"results": []}, c)
app.invoke({"results": []}, c)
print("seen", sorted(seen, key=lambda x: x[0]))
seen.clear()
before = [s for s in app.get_state_history(c) if s.next == ("parent_step",)][0]
print("replay", app.invoke(None, before.config))
print("seen", sorted(seen, key=lambda x: x[0]))
seen.clear()
print("run", app.invoke({"results": []}, c))
print("seen", sorted(seen, key=lambda x: x[0]))

print("== test_subgraph_called_in_loop_loads_state_on_replay")
class LoopState(TypedDict):
    counter: int
    results: Annotated[list[str], operator.add]
class LoopSub(TypedDict):
    sub_trail: Annotated[list[str], operator.add]
seen = []
def ls(s):
    seen.append(("sub_step", dict(s))); return {"sub_trail": ["s"]}
sub = StateGraph(LoopSub).add_node("sub_step", ls).add_edge(START, "sub_step").compile(checkpointer=True)
app = (StateGraph(LoopState)
       .add_node("inc", lambda s: {"counter": s["counter"] + 1, "results": [f"inc:{s['counter']}"]})
       .add_node("sub_node", sub).add_edge(START, "inc").add_edge("inc", "sub_node")
       .add_conditional_edges("sub_node", lambda s: "inc" if s["counter"] < 2 else "__end__", ["inc", "__end__"])
       .compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
print("run", app.invoke({"counter": 0, "results": []}, c))
print("run", app.invoke({"counter": 0, "results": []}, c))
print("seen", seen)
history = list(app.get_state_history(c))
seen.clear()
start_2nd = [s for s in history if s.next == ("inc",) and s.values["counter"] == 0][0]
print("replay", app.invoke(None, start_2nd.config))
print("seen", seen)
seen.clear()
mid_2nd = [s for s in history if s.next == ("inc",) and s.values["counter"] == 1][0]
print("replay", app.invoke(None, mid_2nd.config))
print("seen", seen)

print("== test_subgraph_replay_loads_accumulated_state_then_resume")
seen = []
def sa1(s):
    seen.append(dict(s)); answer = interrupt("question_a"); return {"value": [f"a:{answer}"]}
sub = StateGraph(SubState).add_node("step_a", sa1).add_edge(START, "step_a").compile(checkpointer=True)
app = (StateGraph(ParentState).add_node("parent_node", lambda s: {"results": ["p"]}).add_node("sub_node", sub)
       .add_edge(START, "parent_node").add_edge("parent_node", "sub_node").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
app.invoke({"results": []}, c); app.invoke(Command(resume="a1"), c)
app.invoke({"results": []}, c); app.invoke(Command(resume="a2"), c)
print("seen", seen)
print("history", nexts(app, c))
seen.clear()
before = [s for s in app.get_state_history(c) if s.next == ("sub_node",)][0]
r = app.invoke(None, before.config)
print("replay", r.get("results"), [i.value for i in r.get("__interrupt__", [])], seen)
print("history", nexts(app, c))
seen.clear()
r = app.invoke(Command(resume="a3"), c)
print("resume", r, seen)
print("history", nexts(app, c))
s = app.get_state(c, subgraphs=True)
print("state", list(s.next), s.values)

print("== a stateful subgraph's state (getState with subgraphs) and history at an interrupt")
seen = []
app = two_asks(True, seen)
c = {"configurable": {"thread_id": "1"}}
app.invoke({"results": []}, c); app.invoke(Command(resume="a1"), c); app.invoke(Command(resume="b1"), c)
app.invoke({"results": []}, c)
s = app.get_state(c, subgraphs=True)
t = s.tasks[0]
print("child", t.state.config["configurable"]["checkpoint_ns"], list(t.state.next), t.state.values,
      [i.value for i in t.state.interrupts], t.state.metadata["source"], t.state.metadata["step"])
