"""Follows a thread's runs with LangGraph's real Python SDK (langgraph_sdk 0.4.5): client.threads.join_stream, the
SDK's GET /threads/{thread_id}/stream; run by io.graphloop.server.ThreadStreamTest (graphs echo, slow, hitl, boom)
and by ServerSharedRunsTest through a second server (the runs then start through the first: FIRST_URL).

Usage: python sdk_thread_stream.py BASE_URL [FIRST_URL]
Prints "ok join_stream" when it passed; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys

from langgraph_sdk import get_client

BASE = sys.argv[1]
FIRST = sys.argv[2] if len(sys.argv) > 2 else BASE


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def read(stream, parts, runs):
    """Reads parts until `runs` runs have ended (a metadata run_done each)."""
    async for part in stream:
        parts.append(part)
        if part.event == "metadata" and part.data.get("status") == "run_done":
            runs -= 1
            if runs == 0:
                return


async def join_stream(follower, starter):
    tid = (await starter.threads.create())["thread_id"]
    parts = []
    reading = asyncio.create_task(read(await follower.threads.join_stream(tid), parts, 2))
    await asyncio.sleep(0.3)
    first = await starter.runs.create(tid, "slow", input={"delayMs": 200}, stream_mode=["values", "custom"])
    second = await starter.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="enqueue")
    await asyncio.wait_for(reading, 30)
    events = [p.event for p in parts]
    check(parts[0].event == "metadata" and parts[0].data["run_id"] == first["run_id"], f"first's start: {parts}")
    done = [p.data["run_id"] for p in parts if p.event == "metadata" and p.data.get("status") == "run_done"]
    check(done == [first["run_id"], second["run_id"]], f"run_done of each run, in order: {parts}")
    check("custom" in events and "values" in events, f"first's events: {events}")
    customs = [p.data for p in parts if p.event == "custom"]
    check(customs == [{"progress": "first"}, {"progress": "second"}], f"custom events: {customs}")
    check(parts[-2].event == "values" and parts[-2].data.get("trail") == ["first", "second"] * 2,
          f"second's last values: {parts}")

    lifecycle = []
    await asyncio.wait_for(read(await follower.threads.join_stream(tid, stream_mode="lifecycle", last_event_id="-"),
                                lifecycle, 2), 30)
    check([p.event for p in lifecycle] == ["metadata"] * 4, f"lifecycle: {lifecycle}")
    print("ok join_stream")


async def main():
    follower = get_client(url=BASE, api_key=None, timeout=20)
    starter = get_client(url=FIRST, api_key=None, timeout=20)
    await asyncio.wait_for(join_stream(follower, starter), 60)


asyncio.run(main())
