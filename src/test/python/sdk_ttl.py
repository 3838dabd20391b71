"""Gives threads TTLs through Graphloop's server with LangGraph's real Python SDK (langgraph_sdk 0.4.5); run by
io.graphloop.server.ServerThreadTtlTest, which then sweeps and checks what expired.

The SDK sends `ttl` as {"ttl": minutes, "strategy": "delete"} when given a number, and as given when a mapping.

Usage: python sdk_ttl.py BASE_URL
Prints "short=<id>", "long=<id>", "patched=<id>", "kept=<id>" and "ok ttl"; exits 1 with the failing assertion
otherwise.
"""
import asyncio
import sys

from langgraph_sdk import get_client
from langgraph_sdk.errors import UnprocessableEntityError

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def main():
    client = get_client(url=BASE)
    # a number of minutes: 0.001 minutes is 60 ms
    short = await client.threads.create(ttl=0.001, metadata={"graph_id": "echo"})
    check(short["thread_id"] and short["status"] == "idle", f"create with a ttl: {short}")
    # the mapping form, with a run on the thread
    long = await client.threads.create(ttl={"ttl": 600, "strategy": "delete"})
    done = await client.runs.wait(long["thread_id"], "echo", input={"in": "a"})
    check(done["out"] == "a!", f"a run on a thread with a ttl: {done}")
    # get(include=["ttl"]): the thread with its TTL as stored
    shown = await client.threads.get(long["thread_id"], include=["ttl"])
    check(shown["ttl"] == {"strategy": "delete", "ttl": 600}, f"get with include=['ttl']: {shown}")
    check("ttl" not in await client.threads.get(long["thread_id"]), "get without include shows no ttl")
    # update: the SDK sends metadata and ttl together
    patched = await client.threads.create()
    updated = await client.threads.update(patched["thread_id"], metadata={"k": 1}, ttl=0.001)
    check(updated["metadata"].get("k") == 1, f"update with a ttl: {updated}")
    # keep_latest: the thread stays, pruned to its newest checkpoint
    kept = await client.threads.create(ttl={"ttl": 0.001, "strategy": "keep_latest"})
    await client.runs.wait(kept["thread_id"], "echo", input={"in": "b"})
    try:
        await client.threads.create(ttl={"ttl": 5, "strategy": "archive"})
        raise AssertionError("an unknown strategy was accepted")
    except UnprocessableEntityError as e:
        check("keep_latest" in str(e), f"the error names the strategies: {e}")
    try:
        await client.threads.create(ttl=-1)
        raise AssertionError("a negative ttl was accepted")
    except UnprocessableEntityError as e:
        check("positive number of minutes" in str(e), f"the error says what a ttl is: {e}")
    print("short=" + short["thread_id"])
    print("long=" + long["thread_id"])
    print("patched=" + patched["thread_id"])
    print("kept=" + kept["thread_id"])
    print("ok ttl")


asyncio.run(main())
