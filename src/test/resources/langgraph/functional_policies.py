"""LangGraph 1.2.12: per-task retry, cache and timeout policies, mirrored by io.graphloop.runtime.FunctionalPoliciesTest.

Run with /work/venv-lg/bin/python functional_policies.py; the printed values are the Java test's expectations.
"""
import asyncio
import uuid

from langgraph.cache.memory import InMemoryCache
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import NodeTimeoutError
from langgraph.func import entrypoint, task
from langgraph.types import CachePolicy, Command, RetryPolicy, interrupt

# test_pregel.py::test_multiple_interrupts_functional_cache
counter = 0
cache = InMemoryCache()


@task(cache_policy=CachePolicy())
def double(x: int) -> int:
    global counter
    counter += 1
    return 2 * x


@entrypoint(checkpointer=InMemorySaver(), cache=cache)
def graph(state: dict) -> dict:
    values = []
    for idx in [1, 1, 2, 2, 3, 3]:
        values.extend([double(idx).result(), interrupt({"a": "boo"})])
    return {"values": values}


def seven_runs():
    cfg = {"configurable": {"thread_id": str(uuid.uuid4())}}
    graph.invoke({}, cfg)
    for answer in "abcde":
        graph.invoke(Command(resume=answer), cfg)
    return graph.invoke(Command(resume="f"), cfg)


print("cache first thread", seven_runs(), "counter", counter)
print("cache second thread", seven_runs(), "counter", counter)
double.clear_cache(cache)
print("cache after clear", seven_runs(), "counter", counter)

# a task retried by its policy: fails twice, then succeeds; the stream shows its result once
attempts = 0


@task(retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False, retry_on=ConnectionError))
def flaky(x: int) -> int:
    global attempts
    attempts += 1
    if attempts < 3:
        raise ConnectionError("down")
    return x + 1


@entrypoint(checkpointer=InMemorySaver())
def retried(x: int) -> int:
    return flaky(x).result() * 10


print("retry", list(retried.stream(1, {"configurable": {"thread_id": "1"}})), "attempts", attempts)

attempts = -10  # never reaches 3 within max_attempts
try:
    retried.invoke(1, {"configurable": {"thread_id": "2"}})
except ConnectionError as e:
    print("retry exhausted", type(e).__name__, e, "attempts", attempts + 10)


# test_retry.py::test_task_decorator_timeout_e2e, and a timeout retried by the policy
@task(timeout=0.05)
async def slow_task(x: int) -> int:
    await asyncio.sleep(0.2)
    return x + 1


@entrypoint()
async def workflow(x: int) -> int:
    return await slow_task(x)


slow_calls = 0


@task(timeout=0.05, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.0, jitter=False,
                                             retry_on=NodeTimeoutError))
async def slow_once(x: int) -> int:
    global slow_calls
    slow_calls += 1
    if slow_calls < 2:
        await asyncio.sleep(0.5)
    return x + 1


@entrypoint()
async def workflow2(x: int) -> int:
    return await slow_once(x)


async def main():
    try:
        await workflow.ainvoke(1)
    except NodeTimeoutError as e:
        print("timeout", type(e).__name__)
    print("timeout retried", await workflow2.ainvoke(1), "calls", slow_calls)


asyncio.run(main())
try:
    @task(timeout=1.0)
    def sync_task(x: int) -> int:
        return x
except ValueError as e:
    print("sync timeout refused:", e)


# a cached call's stream: start event, updates chunk marked cached, no result event
@task(cache_policy=CachePolicy())
def double2(x: int) -> int:
    return 2 * x


@entrypoint(checkpointer=InMemorySaver(), cache=InMemoryCache())
def g(x):
    return double2(x).result()


for t in ["1", "2"]:
    print("cached stream", t, [(mode, {k: v for k, v in chunk.items() if k not in ("id", "input")})
                               for mode, chunk in g.stream(3, {"configurable": {"thread_id": t}},
                                                           stream_mode=["updates", "tasks"])])
