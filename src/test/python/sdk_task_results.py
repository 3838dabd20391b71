"""Reads task results from Graphloop's thread state and history over HTTP with LangGraph's real Python SDK
(langgraph_sdk); run by io.graphloop.server.PythonSdkTaskResultsTest against its graph "lone":

    START -> ask -> done -> END     ask: {"answer": interrupt(question) + "!"}   done: {"question": "answered"}

Every task of a state shows its "result" as LangGraph 1.2.12 does (src/test/resources/langgraph/task_results.py,
"a lone interrupted task, resumed"): a step's only task too, and START's task of the input checkpoint (its input).
Usage: python sdk_task_results.py BASE_URL; prints "ok task results" when every check passed.
"""
import asyncio
import sys

from langgraph_sdk import get_client
from langgraph_sdk.schema import Command

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def tasks(state):
    return [(t["name"], t["result"], [i["value"] for i in t["interrupts"]]) for t in state["tasks"]]


async def main():
    client = get_client(url=BASE)
    thread = await client.threads.create()
    tid = thread["thread_id"]

    first = await client.runs.wait(tid, "lone", input={"question": "why?"})
    check([i["value"] for i in first["__interrupt__"]] == ["why?"], f"interrupted: {first}")
    history = await client.threads.get_history(tid)
    check([tasks(h) for h in history] == [[("ask", None, ["why?"])], [("__start__", {"question": "why?"}, [])]],
          f"history while asking: {history}")

    done = await client.runs.wait(tid, "lone", command=Command(resume="because"))
    check(done == {"question": "answered", "answer": "because!"}, f"result: {done}")
    expected = [[], [("done", {"question": "answered"}, [])], [("ask", {"answer": "because!"}, ["why?"])],
                [("__start__", {"question": "why?"}, [])]]
    history = await client.threads.get_history(tid)
    check([h["metadata"]["step"] for h in history] == [2, 1, 0, -1], f"steps: {history}")
    check([tasks(h) for h in history] == expected, f"history tasks: {[tasks(h) for h in history]}")

    by_id = [await client.threads.get_state(tid, checkpoint_id=h["checkpoint"]["checkpoint_id"]) for h in history]
    check([tasks(s) for s in by_id] == expected, f"get_state by checkpoint id: {[tasks(s) for s in by_id]}")

    paged = await client.threads.get_history(tid, limit=2, before=history[1]["checkpoint"])
    check([tasks(h) for h in paged] == expected[2:], f"a page after a cursor: {[tasks(h) for h in paged]}")
    print("ok task results")


asyncio.run(main())
