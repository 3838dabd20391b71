"""Drives the langgraph_sdk 0.4.5 client methods no other test drives against serve (src/docs/server-differences.md,
"Python SDK coverage"): runs.create_batch, runs.cancel_many (by run ids, by status, with rollback), and the methods
serve does not implement, which must fail at once with LangGraph's error body {"detail": ...} and status 501 (never a
404 that reads as a missing thread, a 500 or a hang): threads.prune, threads.stream (the thread streaming protocol)
and every crons method. Run by io.graphloop.server.PythonSdkCoverageTest (graphs echo and slow).

Usage: python sdk_coverage.py BASE_URL
Prints "ok <method>" for each and "ok coverage" at the end; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys

import httpx
from langgraph_sdk import get_client

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def unsupported(name, call, words):
    """`call` fails with a 501 whose detail names what is not supported (`words`)."""
    try:
        value = await asyncio.wait_for(call, 10)
    except httpx.HTTPStatusError as e:
        body = e.response.json()
        check(e.response.status_code == 501, f"{name}: status {e.response.status_code} {body}")
        check(set(body) == {"detail"} and all(w in body["detail"] for w in words), f"{name}: body {body}")
        print(f"ok {name}")
        return
    raise AssertionError(f"{name}: answered {value!r}, not an error")


async def create_batch(client):
    runs = await client.runs.create_batch([
        {"assistant_id": "echo", "input": {"in": "one"}},
        {"assistant_id": "echo", "input": {"in": "two"}, "metadata": {"n": 2}},
    ])
    check(len(runs) == 2 and all(r["status"] in ("pending", "running", "success") for r in runs), f"batch: {runs}")
    check(runs[1]["metadata"].get("n") == 2, f"batch metadata: {runs[1]}")
    for run in runs:
        check(run["thread_id"] is not None or run["run_id"], f"batch run: {run}")
    try:
        await client.runs.create_batch([{"assistant_id": "echo"}, {"input": {}}])
        raise AssertionError("a batch with a run without assistant_id was accepted")
    except httpx.HTTPStatusError as e:
        check(e.response.status_code in (400, 422) and "Run 1" in e.response.json()["detail"],
              f"bad batch: {e.response.text}")
    print("ok runs.create_batch")


async def cancel_many(client):
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "slow", input={"delayMs": 20000})
    queued = await client.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="enqueue")
    await client.runs.cancel_many(thread_id=tid, run_ids=[run["run_id"], queued["run_id"]])
    for r in (run, queued):
        await asyncio.wait_for(client.runs.join(tid, r["run_id"]), 15)
        status = (await client.runs.get(tid, r["run_id"]))["status"]
        check(status == "interrupted", f"cancelled by ids: {status}")

    other = (await client.threads.create())["thread_id"]
    running = await client.runs.create(other, "slow", input={"delayMs": 20000})
    await client.runs.cancel_many(thread_id=other, status="all", action="rollback")
    for _ in range(150):  # a rolled back run is deleted (LangGraph's rollback), soon after its cancel
        try:
            await client.runs.get(other, running["run_id"])
        except httpx.HTTPStatusError as e:
            check(e.response.status_code == 404, f"rolled back: {e.response.status_code}")
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("a rolled back run is still there after 15 s")

    try:
        await client.runs.cancel_many(thread_id=tid, run_ids=["00000000-0000-0000-0000-000000000000"])
        raise AssertionError("cancelling an unknown run was accepted")
    except httpx.HTTPStatusError as e:
        check(e.response.status_code == 404 and "detail" in e.response.json(), f"unknown run: {e.response.text}")
    print("ok runs.cancel_many")


async def thread_stream(client):
    tid = (await client.threads.create())["thread_id"]

    async def start():
        async with client.threads.stream(tid, assistant_id="echo") as session:
            await session.run.start(input={"in": "hi"})

    await unsupported("threads.stream", start(), ["thread streaming protocol", "not supported", "runs/stream"])


async def main():
    client = get_client(url=BASE, api_key=None, timeout=20)
    await create_batch(client)
    await cancel_many(client)
    await unsupported("threads.prune", client.threads.prune(["a", "b"]), ["Pruning threads", "not supported"])
    await thread_stream(client)
    tid = (await client.threads.create())["thread_id"]
    cron_id = "00000000-0000-0000-0000-000000000001"
    for name, call in [
        ("crons.create", client.crons.create("echo", schedule="* * * * *", input={})),
        ("crons.create_for_thread", client.crons.create_for_thread(tid, "echo", schedule="* * * * *")),
        ("crons.search", client.crons.search()),
        ("crons.count", client.crons.count()),
        ("crons.update", client.crons.update(cron_id, schedule="*/5 * * * *")),
        ("crons.delete", client.crons.delete(cron_id)),
    ]:
        await unsupported(name, call, ["Crons", "not supported"])
    print("ok coverage")


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(), 120))
    except AssertionError as e:
        print(f"FAILED: {e}")
        sys.exit(1)
