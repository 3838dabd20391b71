# More time travel into subgraphs, run against LangGraph 1.2.12: nested levels (a replay or fork of the innermost or
# the middle subgraph's own checkpoint), the parent's history after a time travel into a child, a replay of a
# completed run, a replay from the parent's checkpoint where a child's interrupt fired, a resume naming the head
# checkpoint, branches of a parent replayed or forked before a subgraph, and three levels of stateful subgraphs
# loading their state on a parent's replay or fork. Each scenario names the test of
# libs/langgraph/tests/test_time_travel.py it mirrors; SubgraphTimeTravelNestedParityTest compares its Java form with
# the JSON this prints (subgraph_time_travel_nested.json):
#   /work/venv-lg/bin/python subgraph_time_travel_nested.py > subgraph_time_travel_nested.json
import json
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []
out = {}


def node(name, value):
    def run(s):
        called.append(name)
        return {"value": [value]}
    return run


def asker(name, question, prefix):
    def run(s):
        called.append(name)
        return {"value": [f"{prefix}:{interrupt(question)}"]}
    return run


def show(r):
    shown = {"value": r.get("value"), "interrupts": [i.value for i in r.get("__interrupt__", [])],
             "called": list(called)}
    called.clear()
    return shown


def history(app, c):
    return [{"source": s.metadata["source"], "next": list(s.next), "values": s.values,
             "forkOfReplayed": None} for s in app.get_state_history(c)]


C = {"configurable": {"thread_id": "1"}}


def three_levels(middle_asks):
    inner = StateGraph(State).add_node("step_a", node("step_a", "step_a_done"))
    inner = inner.add_node("ask_1", asker("ask_1", "Question 1?", "ask_1"))
    if middle_asks:
        inner = inner.add_edge(START, "step_a").add_edge("step_a", "ask_1").add_edge("ask_1", "__end__")
    else:
        inner = (inner.add_node("ask_2", asker("ask_2", "Question 2?", "ask_2")).add_edge(START, "step_a")
                 .add_edge("step_a", "ask_1").add_edge("ask_1", "ask_2").add_edge("ask_2", "__end__"))
    inner = inner.compile(checkpointer=True)
    middle = StateGraph(State).add_node("inner", inner)
    if middle_asks:
        middle = (middle.add_node("pre", asker("pre", "Pre-question?", "pre")).add_edge(START, "pre")
                  .add_edge("pre", "inner").add_edge("inner", "__end__"))
    else:
        middle = middle.add_edge(START, "inner")
    middle = middle.compile(checkpointer=True)
    return StateGraph(State).add_node("outer", middle).add_edge(START, "outer").compile(checkpointer=InMemorySaver())


def inner_config(app):
    return app.get_state(C, subgraphs=True).tasks[0].state.tasks[0].state.config


def mid_config(app):
    return app.get_state(C, subgraphs=True).tasks[0].state.config


for name, second, level in (("test_3_levels_deep_time_travel_to_first_interrupt", False, inner_config),
                            ("test_3_levels_deep_time_travel_to_second_interrupt", True, inner_config),
                            ("test_3_levels_deep_time_travel_to_middle_subgraph", True, mid_config)):
    app = three_levels(False)
    s = {"first": show(app.invoke({"value": []}, C))}
    if second:
        s["second"] = show(app.invoke(Command(resume="answer_1"), C))
    at = level(app)
    s["ns"] = at["configurable"]["checkpoint_ns"].count("|")
    if not second:
        s["second"] = show(app.invoke(Command(resume="answer_1"), C))
    s["done"] = show(app.invoke(Command(resume="answer_2"), C))
    s["replay"] = show(app.invoke(None, at))
    fork = app.update_state(at, {"value": ["forked"]})
    s["fork"] = show(app.invoke(None, fork))
    s["resumeFork"] = show(app.invoke(Command(resume="new"), fork))
    s["replayAgain"] = show(app.invoke(None, at))
    s["resumeReplay"] = show(app.invoke(Command(resume="again"), at))
    out[name] = s

app = three_levels(True)
s = {"first": show(app.invoke({"value": []}, C))}
at_pre = mid_config(app)
s["second"] = show(app.invoke(Command(resume="pre_answer"), C))
at_ask = mid_config(app)
s["done"] = show(app.invoke(Command(resume="answer_1"), C))
s["replayPre"] = show(app.invoke(None, at_pre))
fork = app.update_state(at_pre, {"value": ["forked"]})
s["forkPre"] = show(app.invoke(None, fork))
s["resumeForkPre"] = show(app.invoke(Command(resume="new_pre"), fork))
s["replayAsk"] = show(app.invoke(None, at_ask))
s["resumeAsk"] = show(app.invoke(Command(resume="new_1"), at_ask))
out["test_3_levels_deep_middle_has_interrupts"] = s


def executor(*asks):
    g = StateGraph(State)
    prev = START
    for name, question in asks:
        g = g.add_node(name, asker(name, question, name) if question else node(name, name + "_done"))
        g = g.add_edge(prev, name)
        prev = name
    ex = g.add_edge(prev, "__end__").compile(checkpointer=True)
    return StateGraph(State).add_node("executor", ex).add_edge(START, "executor").compile(checkpointer=InMemorySaver())


def summary(app):
    return [{"source": h.metadata["source"], "next": list(h.next), "values": h.values}
            for h in app.get_state_history(C)]


app = executor(("ask", "Q?"))
s = {"first": show(app.invoke({"value": []}, C))}
sub = app.get_state(C, subgraphs=True).tasks[0].state.config
s["done"] = show(app.invoke(Command(resume="first"), C))
s["original"] = summary(app)
s["replay"] = show(app.invoke(None, sub))
s["afterReplay"] = summary(app)
hist = list(app.get_state_history(C))
s["forkParentIsReplayPoint"] = (hist[0].parent_config["configurable"]["checkpoint_id"]
                                == sub["configurable"]["checkpoint_map"][""])
s["resume"] = show(app.invoke(Command(resume="second"), C))
s["final"] = summary(app)
out["test_subgraph_time_travel_checkpoint_pattern"] = s

app = executor(("step_a", None), ("ask_1", "Question 1?"), ("ask_2", "Question 2?"))
s = {"first": show(app.invoke({"value": []}, C)), "second": show(app.invoke(Command(resume="answer_1"), C)),
     "done": show(app.invoke(Command(resume="answer_2"), C))}
final = app.get_state(C)
s["tasks"] = len(final.tasks)
s["replay"] = show(app.invoke(None, final.config))
s["history"] = summary(app)
out["test_subgraph_time_travel_after_completion"] = s


def routed(checkpointer):
    sub = (StateGraph(State).add_node("step_a", node("step_a", "sub_a"))
           .add_node("ask_human", asker("ask_human", "Provide input:", "human"))
           .add_node("step_b", node("step_b", "sub_b")).add_edge(START, "step_a").add_edge("step_a", "ask_human")
           .add_edge("ask_human", "step_b").compile(checkpointer=checkpointer))
    return (StateGraph(State).add_node("router", node("router", "routed")).add_node("subgraph_node", sub)
            .add_node("post_process", node("post_process", "post")).add_edge(START, "router")
            .add_edge("router", "subgraph_node").add_edge("subgraph_node", "post_process")
            .compile(checkpointer=InMemorySaver()))


for mode, key in ((True, "test_subgraph_interrupt_replay_from_interrupt_checkpoint"),
                  (None, "test_subgraph_interrupt_replay_from_interrupt_checkpoint[checkpointer=None]")):
    app = routed(mode)
    s = {"first": show(app.invoke({"value": []}, C)), "done": show(app.invoke(Command(resume="answer"), C))}
    at = next(h for h in app.get_state_history(C)
              if h.next == ("subgraph_node",) and h.tasks and any(t.interrupts for t in h.tasks))
    s["replay"] = show(app.invoke(None, at.config))
    s["resume"] = show(app.invoke(Command(resume="again"), C))
    out[key] = s

sub = (StateGraph(State).add_node("step_a", node("step_a", "sub_a"))
       .add_node("ask_human", asker("ask_human", "Provide input:", "human"))
       .add_node("step_b", node("step_b", "sub_b")).add_edge(START, "step_a").add_edge("step_a", "ask_human")
       .add_edge("ask_human", "step_b").compile(checkpointer=True))
app = StateGraph(State).add_node("subgraph_node", sub).add_edge(START, "subgraph_node").compile(checkpointer=InMemorySaver())
s = {"first": show(app.invoke({"value": []}, C))}
head = app.get_state(C).config["configurable"]["checkpoint_id"]
s["resume"] = show(app.invoke(Command(resume="answer"),
                              {"configurable": {"thread_id": "1", "checkpoint_id": head, "checkpoint_ns": ""}}))
out["test_subgraph_interrupt_resume_with_explicit_head_checkpoint_id"] = s


class SubState(TypedDict):
    sub_value: Annotated[list[str], operator.add]


class ParentState(TypedDict):
    value: Annotated[list[str], operator.add]
    sub_value: Annotated[list[str], operator.add]


for fork in (False, True):
    count = [0]

    def sub_step(s):
        count[0] += 1
        return {"sub_value": [f"sub{count[0]}"]}

    sub = StateGraph(SubState).add_node("sub_step", sub_step).add_edge(START, "sub_step").compile()
    app = (StateGraph(ParentState).add_node("parent_start", lambda s: {"value": ["p_start"]})
           .add_node("sub_graph", sub).add_node("parent_end", lambda s: {"value": ["p_end"]})
           .add_edge(START, "parent_start").add_edge("parent_start", "sub_graph").add_edge("sub_graph", "parent_end")
           .compile(checkpointer=InMemorySaver()))
    s = {"first": app.invoke({"value": [], "sub_value": []}, C)}
    before = next(h for h in app.get_state_history(C) if h.next == ("sub_graph",))
    at = app.update_state(before.config, {"value": ["extra"]}) if fork else before.config
    s["again"] = app.invoke(None, at)
    s["history"] = summary(app)
    s["latest"] = app.get_state(C).values
    out["test_fork_creates_branch_in_subgraph" if fork else "test_replay_creates_branch_in_subgraph"] = s


class InnerState(TypedDict):
    inner_trail: Annotated[list[str], operator.add]


class MidState(TypedDict):
    mid_trail: Annotated[list[str], operator.add]


class ResultsState(TypedDict):
    results: Annotated[list[str], operator.add]


for fork in (False, True):
    observed = []

    def inner_step(s):
        observed.append(["inner_step", dict(s)])
        return {"inner_trail": ["inner"]}

    def mid_step(s):
        observed.append(["mid_step", dict(s)])
        return {"mid_trail": ["mid"]}

    inner = StateGraph(InnerState).add_node("inner_step", inner_step).add_edge(START, "inner_step").compile(
        checkpointer=True)
    mid = (StateGraph(MidState).add_node("mid_step", mid_step).add_node("inner_node", inner)
           .add_edge(START, "mid_step").add_edge("mid_step", "inner_node").compile(checkpointer=True))
    app = (StateGraph(ResultsState).add_node("parent_step", lambda s: {"results": ["p"]}).add_node("mid_node", mid)
           .add_edge(START, "parent_step").add_edge("parent_step", "mid_node").compile(checkpointer=InMemorySaver()))
    s = {}
    for run in ("first", "second"):
        observed.clear()
        s[run + "Result"] = app.invoke({"results": []}, C)
        s[run] = list(observed)
    before = [h for h in app.get_state_history(C) if h.next == ("parent_step",)][0]
    at = app.update_state(before.config, {"results": ["forked"]}) if fork else before.config
    observed.clear()
    s["againResult"] = app.invoke(None, at)
    s["again"] = list(observed)
    observed.clear()
    s["thirdResult"] = app.invoke({"results": []}, C)
    s["third"] = list(observed)
    out["test_three_level_nested_subgraph_loads_state_on_fork" if fork
        else "test_three_level_nested_subgraph_loads_state_on_replay"] = s

print(json.dumps(out, indent=1))
