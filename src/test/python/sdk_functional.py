"""Drives an entrypoint of Graphloop's functional API over HTTP with LangGraph's real Python SDK (langgraph_sdk);
run by io.graphloop.server.PythonSdkFunctionalTest against its graph "review":

    draft = Task.of("draft", topic -> "essay on " + topic)
    ask   = Task.of("ask", q -> q + ":" + interrupt(q))        # two calls run at once, each interrupts
    review(input) = draft(input.topic), then [ask("a"), ask("b")], returns {"essay", "answers"}

As with LangGraph Server, the run's input is the entrypoint's argument itself and its output the returned value.
Usage: python sdk_functional.py BASE_URL; prints "ok functional" when every check passed.
"""
import asyncio
import sys

from langgraph_sdk import get_client
from langgraph_sdk.schema import Command

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def main():
    client = get_client(url=BASE)
    thread = await client.threads.create()
    tid = thread["thread_id"]

    chunks = [part async for part in client.runs.stream(tid, "review", input={"topic": "graphs"},
                                                        stream_mode=["updates", "tasks"])]
    updates = [c.data for c in chunks if c.event == "updates"]
    check({"draft": "essay on graphs"} in updates, f"updates: {updates}")
    asked = [u["__interrupt__"] for u in updates if "__interrupt__" in u]
    check(len(asked) == 1 and [i["value"] for i in asked[0]] == ["a"], f"interrupt chunks: {asked}")
    starts = [c.data["name"] for c in chunks if c.event == "tasks" and "error" not in c.data]
    check(starts[0] == "review" and sorted(starts[1:]) == ["ask", "ask", "draft"], f"task starts: {starts}")
    ends = [c.data for c in chunks if c.event == "tasks" and c.data["name"] == "review" and "error" in c.data]
    check([i["value"] for i in ends[0]["interrupts"]] == ["a"], f"entrypoint's task result: {ends}")

    state = await client.threads.get_state(tid)
    check(state["next"] == ["review"], f"next: {state}")
    first = state["interrupts"][0] if state.get("interrupts") else state["tasks"][0]["interrupts"][0]
    check(first["value"] == "a", f"pending interrupt: {state}")
    check([i["value"] for i in state["tasks"][0]["interrupts"]] == ["a"], f"task interrupts: {state['tasks']}")

    partial = await client.runs.wait(tid, "review", command=Command(resume={first["id"]: "A"}))
    check([i["value"] for i in partial["__interrupt__"]] == ["b"], f"after answering a: {partial}")
    check(partial["__interrupt__"][0]["id"] != first["id"], f"b has an id of its own: {partial}")

    done = await client.runs.wait(tid, "review", command=Command(resume="B"))
    check(done == {"essay": "essay on graphs", "answers": ["a:A", "b:B"]}, f"result: {done}")
    check((await client.threads.get_state(tid))["values"] == done, "the thread's values are the returned value")
    history = await client.threads.get_history(tid)
    check([h["metadata"]["source"] for h in history] == ["loop", "input"], f"history: {history}")
    check([h["metadata"]["step"] for h in history] == [0, -1], f"history steps: {history}")
    print("ok functional")


asyncio.run(main())
