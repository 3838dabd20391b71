# test_time_travel.py::test_fork_creates_branch_preserving_old_checkpoints run against LangGraph 1.2.12;
# TimeTravelParityTest.aForkBranchesAndKeepsTheOriginalCheckpoints asserts this output. A history line is
# (source, step, next, value, index of the parent in the same newest-first list), as time_travel.py prints it.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
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


g = (StateGraph(State).add_node("a", node("a")).add_node("b", node("b")).add_node("c", node("c"))
     .add_edge(START, "a").add_edge("a", "b").add_edge("b", "c").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "t"}}
print("result", g.invoke({"value": []}, c)["value"], called)
before_b = next(s for s in g.get_state_history(c) if s.next == ("b",))
called.clear()
fork = g.update_state(before_b.config, {"value": ["x"]})
print("fork result", g.invoke(None, fork)["value"], called)
for line in history(g, c):
    print(line)

# test_time_travel.py::test_subgraph_fork_from_before (TimeTravelParityTest.aForkBeforeASubgraphRunsItWithTheForkedState)
called.clear()
sub = (StateGraph(State).add_node("step_a", node("step_a")).add_node("step_b", node("step_b"))
       .add_edge(START, "step_a").add_edge("step_a", "step_b").compile())
g = (StateGraph(State).add_node("parent_node", node("parent_node")).add_node("subgraph", sub)
     .add_node("post_process", node("post_process")).add_edge(START, "parent_node")
     .add_edge("parent_node", "subgraph").add_edge("subgraph", "post_process").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "s"}}
print("subgraph result", g.invoke({"value": []}, c)["value"], called)
called.clear()
before_sub = next(s for s in g.get_state_history(c) if s.next == ("subgraph",))
fork = g.update_state(before_sub.config, {"value": ["forked"]})
print("subgraph fork result", g.invoke(None, fork)["value"], called)

# test_time_travel.py::test_subgraph_interrupt_replay_from_parent_then_resume, with a subgraph that checkpoints per
# invocation (Graphloop's only kind; the test's compile(checkpointer=True) gives the same answers here)
# (TimeTravelParityTest.replayFromTheSubgraphsInterruptCheckpointAsksAgainAndANewAnswerCompletes)
from langgraph.types import Command, interrupt


def ask_human(s):
    called.append("ask_human")
    return {"value": [f"human:{interrupt('Provide input:')}"]}


called.clear()
sub = (StateGraph(State).add_node("step_a", node("step_a")).add_node("ask_human", ask_human)
       .add_node("step_b", node("step_b")).add_edge(START, "step_a").add_edge("step_a", "ask_human")
       .add_edge("ask_human", "step_b").compile())
g = (StateGraph(State).add_node("router", node("router")).add_node("subgraph_node", sub)
     .add_node("post_process", node("post_process")).add_edge(START, "router").add_edge("router", "subgraph_node")
     .add_edge("subgraph_node", "post_process").compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "r"}}
g.invoke({"value": []}, c)
print("interrupt resumed", g.invoke(Command(resume="old_answer"), c)["value"], called)
called.clear()
at = next(s for s in g.get_state_history(c) if s.next == ("subgraph_node",))
r = g.invoke(None, at.config)
print("interrupt replay", r["value"], [i.value for i in r["__interrupt__"]], called)
called.clear()
r = g.invoke(Command(resume="new_answer"), c)
print("interrupt new answer", r["value"], called)
for line in history(g, c):
    print(line)
