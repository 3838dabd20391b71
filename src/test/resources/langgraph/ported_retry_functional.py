"""LangGraph 1.2.12: scenarios of test_retry.py and of test_pregel.py's functional-API tests, mirrored by
io.graphloop.runtime.PortedRetryFunctionalTest. Run with /work/venv-lg/bin/python ported_retry_functional.py."""
from typing import Optional
from unittest.mock import patch

from typing_extensions import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, RetryPolicy, interrupt


class State(TypedDict):
    foo: str


# test_retry.py::test_graph_with_single_retry_policy
attempts = []


def failing_node(state: State, runtime: Runtime):
    attempts.append(runtime.execution_info.node_attempt)
    if len(attempts) < 3:
        raise ValueError("Intentional failure")
    return {"foo": "success"}


g = (StateGraph(State)
     .add_node("failing_node", failing_node, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01,
                                                                     backoff_factor=2.0, jitter=False,
                                                                     retry_on=ValueError))
     .add_node("other_node", lambda s: {"foo": "other_node"})
     .add_edge(START, "failing_node").add_edge("failing_node", "other_node").compile())
with patch("time.sleep") as sleep:
    result = g.invoke({"foo": ""})
print("single_retry_policy", result, attempts, [c[0][0] for c in sleep.call_args_list])

# test_retry.py::test_graph_with_max_attempts_exceeded
calls = []


def always_failing(state):
    calls.append(1)
    raise ValueError("Always fails")


g = (StateGraph(State).add_node("always_failing", always_failing,
                                retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False,
                                                         retry_on=ValueError))
     .add_edge(START, "always_failing").compile())
with patch("time.sleep") as sleep:
    try:
        g.invoke({"foo": ""})
    except ValueError as e:
        print("max_attempts_exceeded", type(e).__name__, str(e), len(calls), [c[0][0] for c in sleep.call_args_list])

# test_retry.py::test_graph_with_jitter_retry_policy: jitter=True adds random.uniform(0, 1) seconds
calls = []


def fails_once(state):
    calls.append(1)
    if len(calls) < 2:
        raise ValueError("Intentional failure")
    return {"foo": "success"}


g = (StateGraph(State).add_node("failing_node", fails_once,
                                retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=True,
                                                         retry_on=ValueError))
     .add_edge(START, "failing_node").compile())
with patch("random.uniform", return_value=0.05), patch("time.sleep") as sleep:
    result = g.invoke({"foo": ""})
print("jitter_retry_policy", result, len(calls), [round(c[0][0], 6) for c in sleep.call_args_list])

# test_retry.py: a failure the policy does not retry (retry_on=ValueError, a KeyError) is tried once
calls = []


def key_error(state):
    calls.append(1)
    raise KeyError("nope")


g = (StateGraph(State).add_node("n", key_error, retry_policy=RetryPolicy(max_attempts=3, retry_on=ValueError))
     .add_edge(START, "n").compile())
try:
    g.invoke({"foo": ""})
except KeyError as e:
    print("not_retried", type(e).__name__, len(calls))


# test_pregel.py::test_falsy_return_from_task: a task's falsy result is stored and comes back on resume
ran = []


@task
def falsy_task() -> bool:
    ran.append(1)
    return False


@entrypoint(checkpointer=InMemorySaver())
def falsy(state: dict) -> Optional[dict]:
    value = falsy_task().result()
    answer = interrupt("test")
    return {"falsy": value, "answer": answer}


cfg = {"configurable": {"thread_id": "f"}}
first = falsy.invoke({"a": 5}, cfg)
print("falsy_return first", [i.value for i in first["__interrupt__"]])
print("falsy_return resumed", falsy.invoke(Command(resume="ok"), cfg), "task runs", len(ran))


# test_pregel.py::test_multiple_tasks_before_interrupt_resume
runs = []


@task
def step_a(x: int) -> int:
    runs.append("a")
    return x + 1


@task
def step_b(x: int) -> int:
    runs.append("b")
    return x * 2


@task
def ask(question: str) -> str:
    return interrupt(question)


@entrypoint(checkpointer=InMemorySaver())
def workflow(inputs: dict) -> dict:
    a = step_a(inputs["x"]).result()
    b = step_b(a).result()
    answer = ask(f"Result so far is {b}. What next?").result()
    return {"computed": b, "answer": answer}


cfg = {"configurable": {"thread_id": "1"}}
first = workflow.invoke({"x": 5}, config=cfg)
print("multiple_tasks_before_interrupt first", [i.value for i in first["__interrupt__"]])
print("multiple_tasks_before_interrupt resumed", workflow.invoke(Command(resume="continue"), config=cfg), runs)
