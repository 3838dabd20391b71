"""Runs started through one cluster member's server and served through the other's, with LangGraph's real Python SDK
(langgraph_sdk 0.4.5); run by io.graphloop.it.ServeClusterIT against two `member --serve-port` JVMs whose
coordinators share a PostgreSQL store, serving the example graph `crash` (eight sequential steps s1..s8, each
waiting the input's delayMs).

Usage: python sdk_cluster_runs.py BASE_A BASE_B API_KEY
Prints one line "ok <flow>" per flow that passed; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys

from langgraph_sdk import get_client
from langgraph_sdk.errors import NotFoundError

BASE_A, BASE_B, KEY = sys.argv[1], sys.argv[2], sys.argv[3]
STEPS = ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def read_join_and_stream(a, b):
    thread = await a.threads.create(metadata={"flow": "cluster-runs"})
    tid = thread["thread_id"]
    run = await a.runs.create(tid, "crash", input={"trail": [], "delayMs": 150},
                              stream_mode=["values", "updates"])
    rid = run["run_id"]
    got = await b.runs.get(tid, rid)
    check(got["run_id"] == rid and got["status"] in ("pending", "running"), f"runs.get through B: {got}")
    listed = await b.runs.list(tid)
    check([r["run_id"] for r in listed] == [rid], f"runs.list through B: {listed}")
    found = await b.threads.search(metadata={"flow": "cluster-runs"})
    check([t["thread_id"] for t in found] == [tid], f"threads.search through B: {found}")
    check(found[0]["status"] == "busy", f"the thread is busy while A's run runs: {found[0]}")
    parts = [p async for p in b.runs.join_stream(tid, rid, stream_mode=["values", "updates"])]
    check(parts[-1].event == "values" and parts[-1].data["trail"] == STEPS, f"join_stream through B: {parts}")
    ids = [p.id for p in parts]
    check(all(i is not None for i in ids), f"every event has an id: {ids}")
    rest = [p async for p in b.runs.join_stream(tid, rid, stream_mode=["values", "updates"], last_event_id=ids[2])]
    check([p.id for p in rest] == ids[3:], f"join_stream from Last-Event-ID {ids[2]}: {[p.id for p in rest]}")
    check(rest[-1].data == parts[-1].data, "the resumed stream ends as the full one")
    joined = await b.runs.join(tid, rid)
    check(joined["trail"] == STEPS, f"runs.join through B: {joined}")
    done = await b.runs.get(tid, rid)
    check(done["status"] == "success", f"the run's status through B: {done}")
    print("ok read-join-stream")


async def live_join(a, b):
    tid = (await a.threads.create())["thread_id"]
    run = await a.runs.create(tid, "crash", input={"trail": [], "delayMs": 100})
    joined = await b.runs.join(tid, run["run_id"])
    check(joined["trail"] == STEPS, f"a live join through B: {joined}")
    print("ok live-join")


async def cancel_interrupt(a, b):
    tid = (await a.threads.create())["thread_id"]
    run = await a.runs.create(tid, "crash", input={"trail": [], "delayMs": 2000})
    await b.runs.cancel(tid, run["run_id"], wait=True, action="interrupt")
    got = await a.runs.get(tid, run["run_id"])
    check(got["status"] == "interrupted", f"cancelled through B, read through A: {got}")
    print("ok cancel-interrupt")


async def cancel_rollback(a, b):
    tid = (await a.threads.create())["thread_id"]
    first = await a.runs.wait(tid, "crash", input={"trail": [], "delayMs": 1})
    check(first["trail"] == STEPS, f"a first run: {first}")
    before = await a.threads.get_history(tid, limit=100)
    run = await a.runs.create(tid, "crash", input={"trail": [], "delayMs": 2000})
    await asyncio.sleep(0.5)
    await b.runs.cancel(tid, run["run_id"], wait=True, action="rollback")
    try:
        await a.runs.get(tid, run["run_id"])
        raise AssertionError("a rolled-back run is gone through A too")
    except NotFoundError:
        pass
    after = await b.threads.get_history(tid, limit=100)
    check([s["checkpoint_id"] for s in after] == [s["checkpoint_id"] for s in before],
          f"rolled back through B: the history is as before ({len(before)} vs {len(after)})")
    state = await b.threads.get_state(tid)
    check(state["values"]["trail"] == STEPS, f"the state is the first run's: {state['values']}")
    print("ok cancel-rollback")


async def main():
    a = get_client(url=BASE_A, api_key=KEY)
    b = get_client(url=BASE_B, api_key=KEY)
    await read_join_and_stream(a, b)
    await live_join(a, b)
    await cancel_interrupt(a, b)
    await cancel_rollback(a, b)


asyncio.run(main())
