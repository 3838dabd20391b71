"""A subgraph stopped at a static breakpoint, over HTTP with LangGraph's real Python SDK (langgraph_sdk); run by
io.graphloop.server.PythonSdkBreakpointTest against its graph "bp-parent":

    child  = START -> inner_1 -> inner_2 -> END, compiled with interrupt_before=["inner_2"]
    parent = START -> child -> after -> END

Expected values: src/test/resources/langgraph/subgraph_breakpoint.py (LangGraph 1.2.12). The run's output has no
__interrupt__, the updates stream ends with one empty {"__interrupt__": []}, and the thread waits at "child" with
status "interrupted" (LangGraph Server's status follows whether the thread has tasks due) and no interrupts.
Usage: python sdk_breakpoints.py BASE_URL; prints "ok breakpoints" when every check passed.
"""
import asyncio
import sys

from langgraph_sdk import get_client

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def main():
    client = get_client(url=BASE)
    thread = await client.threads.create()
    tid = thread["thread_id"]

    out = await client.runs.wait(tid, "bp-parent", input={"my_key": "x"})
    check(out == {"my_key": "x"}, f"output: {out}")
    got = await client.threads.get(tid)
    check(got["status"] == "interrupted", f"thread status: {got}")
    check(got["interrupts"] == {}, f"thread interrupts: {got}")
    state = await client.threads.get_state(tid)
    check(state["next"] == ["child"], f"next: {state}")
    check(state["tasks"][0]["interrupts"] == [], f"tasks: {state['tasks']}")

    done = await client.runs.wait(tid, "bp-parent", input=None)
    check(done == {"my_key": "x here and there after"}, f"continued: {done}")
    check((await client.threads.get(tid))["status"] == "idle", "idle after the end")

    other = (await client.threads.create())["thread_id"]
    chunks = [(c.event, c.data) async for c in client.runs.stream(other, "bp-parent", input={"my_key": "x"},
                                                                  stream_mode=["updates", "values"])]
    shown = [c for c in chunks if c[0] in ("updates", "values")]
    check(shown == [("values", {"my_key": "x"}), ("updates", {"__interrupt__": []})], f"stream: {chunks}")
    check((await client.threads.get(other))["status"] == "interrupted", "a streamed run leaves it interrupted too")
    print("ok breakpoints")


asyncio.run(main())
