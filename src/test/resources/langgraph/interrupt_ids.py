"""LangGraph 1.2.12: interrupt ids and Command(resume={id: value}) maps, mirrored by
io.graphloop.runtime.InterruptIdsParityTest.

Run with /work/venv-lg/bin/python interrupt_ids.py; the printed values are the Java test's expectations. An interrupt's
id is xxh3_128_hexdigest of the asking task's checkpoint namespace ("node:<task id>", "<task name>:<call id>" for a
task call under its entrypoint's namespace, levels joined by "|"), which a client can compute from the task ids it sees (get_state().tasks, tasks
events): the lines "computed" check that.
"""
import operator
import time
import uuid
from typing import Annotated

from typing_extensions import TypedDict
from xxhash import xxh3_128_hexdigest

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt


# test_pregel.py::test_interrupt_multiple (resume_style="map")
class S1(TypedDict):
    my_key: Annotated[str, operator.add]


def node(s: S1):
    answer = interrupt({"value": 1})
    answer2 = interrupt({"value": 2})
    return {"my_key": answer + " " + answer2}


g1 = StateGraph(S1).add_node("node", node).add_edge(START, "node").compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
r = list(g1.stream({"my_key": "DE", "market": "DE"}, cfg))
first = r[0]["__interrupt__"][0].id
print("multiple first", [i.value for i in r[0]["__interrupt__"]], len(first))
st = g1.get_state(cfg)
print("multiple computed", first == xxh3_128_hexdigest(("node:" + st.tasks[0].id).encode()))
r = list(g1.stream(Command(resume={first: "answer 1"}, update={"my_key": " foofoo "}), cfg))
second = r[0]["__interrupt__"][0].id
print("multiple second", [i.value for i in r[0]["__interrupt__"]], "same id:", second == first)
print("multiple third", list(g1.stream(Command(resume={second: "answer 2"}), cfg)))
print("multiple values", g1.get_state(cfg).values)


# test_pregel.py::test_multiple_interrupt_state_persistence
class S2(TypedDict):
    steps: Annotated[list[str], operator.add]


def twice(state: S2):
    first = interrupt("First interrupt")
    second = interrupt("Second interrupt")
    return {"steps": [first, second]}


g2 = StateGraph(S2).add_node("node", twice).add_edge(START, "node").compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
g2.invoke({"steps": []}, cfg)
print("persistence 1", g2.get_state(cfg).values, [i.value for i in g2.get_state(cfg).interrupts])
g2.invoke(Command(resume="step1"), cfg)
print("persistence 2", g2.get_state(cfg).values, [i.value for i in g2.get_state(cfg).interrupts])
print("persistence 3", g2.invoke(Command(resume="step2"), cfg), g2.get_state(cfg).values)


# test_pregel.py::test_null_resume_disallowed_with_multiple_interrupts
class S3(TypedDict):
    text_1: str
    text_2: str


def human_1(state: S3):
    return {"text_1": interrupt({"text_to_revise": state["text_1"]})}


def human_2(state: S3):
    return {"text_2": interrupt({"text_to_revise": state["text_2"]})}


g3 = (StateGraph(S3).add_node("human_node_1", human_1).add_node("human_node_2", human_2)
      .add_edge(START, "human_node_1").add_edge(START, "human_node_2").compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "1"}}
g3.invoke({"text_1": "original text 1", "text_2": "original text 2"}, cfg)
st = g3.get_state(cfg)
print("parallel computed", sorted(i.id for i in st.interrupts)
      == sorted(xxh3_128_hexdigest((t.name + ":" + t.id).encode()) for t in st.tasks))
try:
    g3.invoke(Command(resume="singular resume"), cfg)
except RuntimeError as e:
    print("parallel plain", str(e).split(" Docs:")[0])
# a map naming only one of them answers that one; the other asks again
one = {i.id: "only " + i.value["text_to_revise"] for i in st.interrupts if i.value["text_to_revise"].endswith("1")}
r = g3.invoke(Command(resume=one), cfg)
print("parallel one", [i.value for i in r["__interrupt__"]], g3.get_state(cfg).next)
rest = {i.id: "resume for prompt: " + i.value["text_to_revise"] for i in g3.get_state(cfg).interrupts}
print("parallel rest", g3.invoke(Command(resume=rest), cfg))
# a map with a key of another shape is a plain value (here refused: two pending interrupts)
g3.invoke({"text_1": "x", "text_2": "y"}, {"configurable": {"thread_id": "2"}})
try:
    g3.invoke(Command(resume={"not-an-id": 1}), {"configurable": {"thread_id": "2"}})
except RuntimeError as e:
    print("parallel other keys", str(e).split(" Docs:")[0])
# a map of ids that name no interrupt answers nothing: both ask again
r = g3.invoke(Command(resume={"0" * 32: "nobody"}), {"configurable": {"thread_id": "2"}})
print("parallel unknown id", sorted(i.value["text_to_revise"] for i in r["__interrupt__"]))


# test_pregel.py::test_interrupt_task_functional (with maps)
@task
def foo(state: dict) -> dict:
    return {"a": state["a"] + "foo"}


@task
def bar(state: dict) -> dict:
    return {"a": state["a"] + interrupt("Provide value for bar:")}


@entrypoint(checkpointer=InMemorySaver())
def wf1(inputs: dict) -> dict:
    foo_result = foo(inputs).result()
    bar_result = bar(foo_result).result()
    return bar(bar_result).result()


cfg = {"configurable": {"thread_id": "2"}}
r = wf1.invoke({"a": ""}, cfg)
print("functional first", [i.value for i in r["__interrupt__"]])
r = wf1.invoke(Command(resume={r["__interrupt__"][0].id: "bar"}), cfg)
print("functional second", [i.value for i in r["__interrupt__"]])
print("functional third", wf1.invoke(Command(resume={r["__interrupt__"][0].id: "baz"}), cfg))


# An interrupt not reported yet: two calls run at once and both ask, the run reports the one the entrypoint waits
# for; a client computes the other's id from its task event and answers both in one resume.
@task
def ask(q: str) -> str:
    if q == "a":
        time.sleep(0.3)
    return q + ":" + interrupt(q)


@entrypoint(checkpointer=InMemorySaver())
def wf2(inputs):
    fa, fb = ask("a"), ask("b")
    return [fa.result(), fb.result()]


cfg = {"configurable": {"thread_id": "1"}}
calls = {}
reported = []
for mode, c in wf2.stream(1, cfg, stream_mode=["updates", "tasks"]):
    if mode == "tasks" and c["name"] == "ask" and "input" in c:
        calls[c["input"][0][0]] = c["id"]
    if mode == "tasks" and c["name"] == "wf2" and "input" in c:
        entry = "wf2:" + c["id"]
    if mode == "updates" and "__interrupt__" in c:
        reported += [i.value for i in c["__interrupt__"]]
print("unreported first", reported, [i.value for i in wf2.get_state(cfg).interrupts])
ids = {q: xxh3_128_hexdigest((entry + "|ask:" + tid).encode()) for q, tid in calls.items()}
print("unreported computed", wf2.get_state(cfg).interrupts[0].id == ids[wf2.get_state(cfg).interrupts[0].value])
print("unreported both", wf2.invoke(Command(resume={ids["a"]: "A", ids["b"]: "B"}), cfg))


# test_pregel.py::test_interrupt_subgraph_reenter_checkpointer_true-like: Sends to a subgraph, answered by one map
class ChildState(TypedDict):
    prompt: str
    human_input: str
    human_inputs: Annotated[list[str], operator.add]


def get_human_input(state: ChildState):
    human_input = interrupt(state["prompt"])
    return {"human_input": human_input, "human_inputs": [human_input]}


child = (StateGraph(ChildState).add_node("get_human_input", get_human_input).add_edge(START, "get_human_input")
         .add_edge("get_human_input", END).compile())


class ParentState(TypedDict):
    prompts: list[str]
    human_inputs: Annotated[list[str], operator.add]


def cleanup(state: ParentState):
    assert len(state["human_inputs"]) == len(state["prompts"])


parent = (StateGraph(ParentState).add_node("child_graph", child).add_node("cleanup", cleanup)
          .add_conditional_edges(START, lambda s: [Send("child_graph", {"prompt": p}) for p in s["prompts"]],
                                 ["child_graph"])
          .add_edge("child_graph", "cleanup").add_edge("cleanup", END).compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": str(uuid.uuid4())}}
r = parent.invoke({"prompts": ["a", "b", "c"]}, cfg)
print("subgraph first", sorted(i.value for i in r["__interrupt__"]))
st = parent.get_state(cfg, subgraphs=True)
print("subgraph computed", sorted(i.id for i in st.interrupts) == sorted(
    xxh3_128_hexdigest((t.name + ":" + t.id + "|get_human_input:" + t.state.tasks[0].id).encode())
    for t in st.tasks))
one = {i.id: "human input for prompt " + i.value for i in st.interrupts if i.value == "b"}
r = parent.invoke(Command(resume=one), cfg)
print("subgraph one", sorted(i.value for i in r["__interrupt__"]))
rest = {i.id: "human input for prompt " + i.value for i in parent.get_state(cfg).interrupts}
print("subgraph rest", parent.invoke(Command(resume=rest), cfg))
