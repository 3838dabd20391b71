# Functional API tests of libs/langgraph/tests/test_pregel.py run against LangGraph 1.2.12: test_imp_stream_order
# (chained task calls streamed as updates, each durability) and test_imp_exception (a task's exception caught by the
# entrypoint; the run's result, then a second run's updates on the same thread). PregelFunctionalParityTest compares
# its Java form with the JSON this prints (a Python tuple shows as a JSON list):
#   /work/venv-lg/bin/python pregel_functional.py > pregel_functional.json
import json

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task

out = {}

for durability in ("sync", "async", "exit"):
    @task()
    def foo(state: dict) -> tuple:
        return state["a"] + "foo", "bar"

    @task
    def bar(a: str, b: str, c: str | None = None) -> dict:
        return {"a": a + b, "c": (c or "") + "bark"}

    @task
    def baz(state: dict) -> dict:
        return {"a": state["a"] + "baz", "c": "something else"}

    @entrypoint(checkpointer=InMemorySaver())
    def graph(state: dict) -> dict:
        fut_foo = foo(state)
        fut_bar = bar(*fut_foo.result())
        fut_baz = baz(fut_bar.result())
        return fut_baz.result()

    thread1 = {"configurable": {"thread_id": "1"}}
    out[f"test_imp_stream_order[{durability}]"] = {
        "updates": list(graph.stream({"a": "0"}, thread1, durability=durability)),
        "state": graph.get_state(thread1).values}


@task()
def my_task(number: int):
    return number * 2


@task()
def task_with_exception(number: int):
    raise Exception("This is a test exception")


@entrypoint(checkpointer=InMemorySaver())
def my_workflow(number: int):
    my_task(number).result()
    try:
        task_with_exception(number).result()
    except Exception:
        pass
    my_task(number).result()
    return "done"


thread1 = {"configurable": {"thread_id": "1"}}
out["test_imp_exception"] = {"invoke": my_workflow.invoke(1, thread1), "updates": list(my_workflow.stream(1, thread1))}

print(json.dumps(out, indent=1))
