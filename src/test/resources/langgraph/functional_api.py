"""LangGraph 1.2.12's functional API scenarios mirrored by io.graphloop.runtime.FunctionalApiTest.

Run with /work/venv-lg/bin/python functional_api.py; the printed values are the Java test's expectations.
"""
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt


def plain(result):
    if isinstance(result, dict) and "__interrupt__" in result:
        return {**result, "__interrupt__": [i.value for i in result["__interrupt__"]]}
    return result


# test_pregel.py::test_interrupt_functional
@task
def foo(state: dict) -> dict:
    return {"a": state["a"] + "foo"}


@task
def bar(state: dict) -> dict:
    return {"a": state["a"] + "bar", "b": state["b"]}


@entrypoint(checkpointer=InMemorySaver())
def graph(inputs: dict) -> dict:
    fut_foo = foo(inputs)
    value = interrupt("Provide value for bar:")
    bar_input = {**fut_foo.result(), "b": value}
    return bar(bar_input).result()


cfg = {"configurable": {"thread_id": "1"}}
print("interrupt_functional", plain(graph.invoke({"a": ""}, cfg)), graph.invoke(Command(resume="bar"), cfg))


# test_pregel.py::test_interrupt_task_functional
@task
def ask_bar(state: dict) -> dict:
    value = interrupt("Provide value for bar:")
    return {"a": state["a"] + value}


@entrypoint(checkpointer=InMemorySaver())
def graph2(inputs: dict) -> dict:
    foo_result = foo(inputs).result()
    bar_result = ask_bar(foo_result).result()
    return ask_bar(bar_result).result()


cfg = {"configurable": {"thread_id": "2"}}
print("interrupt_task_functional", plain(graph2.invoke({"a": ""}, cfg)),
      plain(graph2.invoke(Command(resume="bar"), cfg)), graph2.invoke(Command(resume="baz"), cfg))

# test_pregel.py::test_multiple_interrupts_functional
counter = 0


@task
def double(x: int) -> int:
    global counter
    counter += 1
    return 2 * x


@entrypoint(checkpointer=InMemorySaver())
def graph3(state: dict) -> dict:
    values = []
    for idx in [1, 2, 3]:
        values.extend([double(idx).result(), interrupt({"a": "boo"})])
    return {"values": values}


cfg = {"configurable": {"thread_id": "3"}}
graph3.invoke({}, cfg)
graph3.invoke(Command(resume="a"), cfg)
graph3.invoke(Command(resume="b"), cfg)
print("multiple_interrupts_functional", graph3.invoke(Command(resume="c"), cfg), "counter", counter)


# test_pregel.py::test_task_before_interrupt_resume
@entrypoint(checkpointer=InMemorySaver())
def workflow(number_of_topics: int) -> dict:
    @task
    def setup() -> int:
        return number_of_topics

    @task
    def ask(question: str) -> str:
        return interrupt(question)

    n = setup().result()
    return {"answers": [ask(f"Whats the answer for topic {i + 1}?").result() for i in range(n)]}


cfg = {"configurable": {"thread_id": "4"}}
print("task_before_interrupt_resume", plain(workflow.invoke(2, cfg)),
      plain(workflow.invoke(Command(resume="answer1"), cfg)), workflow.invoke(Command(resume="answer2"), cfg))


# test_pregel.py::test_entrypoint_stateful
@entrypoint(checkpointer=InMemorySaver())
def stateful(inputs, *, previous: Any) -> Any:
    return {"previous": previous, "current": inputs}


cfg = {"configurable": {"thread_id": "5"}}
print("entrypoint_stateful", stateful.invoke({"a": "1"}, cfg), stateful.invoke({"a": "2"}, cfg),
      list(stateful.stream({"a": "3"}, {"configurable": {"thread_id": "5b"}})))


# test_pregel.py::test_entrypoint_with_return_and_save
@entrypoint(checkpointer=InMemorySaver())
def saving(msg: str, *, previous: Any) -> entrypoint.final[int, list[str]]:
    previous = previous or []
    return entrypoint.final(value=len(previous), save=previous + [msg])


cfg = {"configurable": {"thread_id": "6"}}
print("return_and_save", saving.invoke("hello", cfg), saving.invoke("goodbye", cfg), saving.invoke("definitely", cfg),
      saving.get_state(cfg).values)

# updates stream of tasks (test_pregel.py::test_sync_streaming_with_functional_api's chunks), then a resume
ran = []


@task
def add_one(x):
    ran.append(("add_one", x))
    return x + 1


@entrypoint(checkpointer=InMemorySaver())
def streamed(inputs):
    a = add_one(inputs).result()
    b = double(a).result()
    return {"b": b, "ans": interrupt({"b": b})}


cfg = {"configurable": {"thread_id": "7"}}
print("stream", [plain(c) for c in streamed.stream(3, cfg)], [plain(c) for c in streamed.stream(Command(resume="yes"), cfg)])


# a failure after a task completed: the task is not run again when the thread is continued
ran.clear()
fail = {"now": True}


@entrypoint(checkpointer=InMemorySaver())
def flaky(inputs):
    a = add_one(inputs).result()
    if fail["now"]:
        fail["now"] = False
        raise ValueError("boom")
    return a * 10


cfg = {"configurable": {"thread_id": "8"}}
try:
    flaky.invoke(1, cfg)
except ValueError as e:
    print("failed", e)
print("continued", flaky.invoke(None, cfg), "ran", ran)
