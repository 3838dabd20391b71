"""Drives Graphloop's server with LangGraph's real Python SDK (langgraph_sdk 0.4.5); run by
io.graphloop.server.PythonSdkTest against ServerFixture's graphs (echo, slow, hitl, boom).

Usage: python sdk_flows.py BASE_URL
Prints one line "ok <flow>" per flow that passed; exits 1 with the failing assertion otherwise.
"""
import asyncio
import sys

from langgraph_sdk import get_client, get_sync_client
from langgraph_sdk.schema import Command

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def assistants(client):
    found = await client.assistants.search(limit=10)
    ids = sorted(a["graph_id"] for a in found)
    check(ids == ["boom", "echo", "hitl", "slow"], f"assistants.search graph ids: {ids}")
    echo = await client.assistants.get("echo")
    check(echo["graph_id"] == "echo" and echo["assistant_id"], f"assistants.get: {echo}")
    by_id = await client.assistants.get(echo["assistant_id"])
    check(by_id["assistant_id"] == echo["assistant_id"], f"assistants.get by uuid: {by_id}")
    graph = await client.assistants.get_graph("hitl")
    node_ids = [n["id"] for n in graph["nodes"]]
    check(node_ids == ["__start__", "draft", "approve", "publish", "__end__"], f"graph nodes {node_ids}")
    edges = [(e["source"], e["target"]) for e in graph["edges"]]
    check(("draft", "approve") in edges and ("publish", "__end__") in edges, f"graph edges {edges}")
    print("ok assistants")


async def threads(client):
    thread = await client.threads.create(metadata={"owner": "sdk"})
    tid = thread["thread_id"]
    check(thread["status"] == "idle" and thread["metadata"]["owner"] == "sdk", f"threads.create: {thread}")
    got = await client.threads.get(tid)
    check(got["thread_id"] == tid, f"threads.get: {got}")
    result = await client.runs.wait(tid, "echo", input={"in": "hi"})
    check(result == {"in": "hi", "out": "hi!"}, f"runs.wait: {result}")
    state = await client.threads.get_state(tid)
    check(state["values"] == {"in": "hi", "out": "hi!"} and state["next"] == [], f"get_state: {state}")
    check(state["checkpoint"]["thread_id"] == tid and state["checkpoint"]["checkpoint_id"], f"checkpoint: {state}")
    history = await client.threads.get_history(tid)
    check(len(history) >= 2, f"history length {len(history)}")
    check(history[0]["checkpoint"]["checkpoint_id"] == state["checkpoint"]["checkpoint_id"], "history newest first")
    check(history[-1]["values"] == {} or "out" not in history[-1]["values"], f"oldest: {history[-1]}")
    updated = await client.threads.update_state(tid, {"out": "edited"}, as_node="echo")
    check(updated["checkpoint"]["thread_id"] == tid, f"update_state: {updated}")
    after = await client.threads.get_state(tid)
    check(after["values"]["out"] == "edited", f"state after update: {after}")
    at = await client.threads.get_state(tid, checkpoint_id=state["checkpoint"]["checkpoint_id"])
    check(at["values"]["out"] == "hi!", f"state at checkpoint: {at}")
    searched = await client.threads.search(metadata={"owner": "sdk"})
    check(any(t["thread_id"] == tid for t in searched), f"threads.search: {searched}")
    print("ok threads")


async def streams(client):
    tid = (await client.threads.create())["thread_id"]
    events = [p async for p in client.runs.stream(tid, "slow", input={"delayMs": 10},
                                                  stream_mode=["values", "updates"])]
    kinds = [p.event for p in events]
    check(kinds[0] == "metadata" and events[0].data["run_id"], f"first event {events[0]}")
    check(kinds[1:] == ["values", "updates", "values", "updates", "values"], f"stream kinds {kinds}")
    check(events[2].data == {"first": {"trail": ["first"]}}, f"updates {events[2].data}")
    check(events[-1].data == {"delayMs": 10, "trail": ["first", "second"]}, f"last values {events[-1].data}")
    debug = [p async for p in client.runs.stream(tid, "slow", input={"delayMs": 1}, stream_mode="debug")]
    types = [p.data["type"] for p in debug if p.event == "debug"]
    check("task" in types and "task_result" in types and "checkpoint" in types, f"debug types {types}")
    # v2 stream parts carry type/ns
    parts = [p async for p in client.runs.stream(None, "echo", input={"in": "v2"}, stream_mode="values",
                                                 version="v2")]
    check(parts[-1]["type"] == "values" and parts[-1]["data"]["out"] == "v2!", f"v2 parts {parts}")
    print("ok streams")


async def background(client):
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "slow", input={"delayMs": 50})
    check(run["status"] in ("pending", "running") and run["thread_id"] == tid, f"runs.create: {run}")
    joined = await client.runs.join(tid, run["run_id"])
    check(joined["trail"] == ["first", "second"], f"runs.join: {joined}")
    got = await client.runs.get(tid, run["run_id"])
    check(got["status"] == "success", f"runs.get after join: {got}")
    listed = await client.runs.list(tid)
    check([r["run_id"] for r in listed] == [run["run_id"]], f"runs.list: {listed}")
    long_run = await client.runs.create(tid, "slow", input={"delayMs": 5000})
    await client.runs.cancel(tid, long_run["run_id"], wait=True)
    cancelled = await client.runs.get(tid, long_run["run_id"])
    check(cancelled["status"] in ("interrupted", "error"), f"cancelled run: {cancelled}")
    print("ok background")


async def interrupts(client):
    tid = (await client.threads.create())["thread_id"]
    events = [p async for p in client.runs.stream(tid, "hitl", input={"topic": "cats"}, stream_mode="updates")]
    interrupt = [p.data["__interrupt__"] for p in events if p.event == "updates" and "__interrupt__" in p.data]
    check(len(interrupt) == 1 and interrupt[0][0]["value"] == {"question": "Publish it?"}, f"interrupt {events}")
    thread = await client.threads.get(tid)
    check(thread["status"] == "interrupted", f"thread status {thread}")
    state = await client.threads.get_state(tid)
    check(state["next"] == ["approve"] and state["tasks"][0]["interrupts"][0]["value"] == {"question": "Publish it?"},
          f"interrupted state {state}")
    result = await client.runs.wait(tid, "hitl", command=Command(resume="yes"))
    check(result["published"] is True and result["answer"] == "yes", f"resumed {result}")
    check((await client.threads.get(tid))["status"] == "idle", "idle after resume")
    print("ok interrupts")


async def reconnect(client):
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "slow", input={"delayMs": 100}, stream_mode=["values", "updates"],
                                   stream_resumable=True)
    full = [p async for p in client.runs.join_stream(tid, run["run_id"], stream_mode=["values", "updates"])]
    check(full[-1].event == "values" and full[-1].data["trail"] == ["first", "second"], f"join_stream {full}")
    # reconnect from the third event on: exactly the events after it
    ids = [p.id for p in full if p.id is not None]
    check(len(ids) >= 4, f"event ids {ids}")
    rest = [p async for p in client.runs.join_stream(tid, run["run_id"], stream_mode=["values", "updates"],
                                                     last_event_id=ids[2])]
    tail = [p for p in full if p.id is not None][3:]
    check([(p.event, p.data) for p in rest if p.event != "metadata"] == [(p.event, p.data) for p in tail],
          f"resumed {rest} vs {tail}")
    print("ok reconnect")


async def errors(client):
    from langgraph_sdk.errors import NotFoundError
    try:
        await client.threads.get("00000000-0000-0000-0000-000000000000")
        raise AssertionError("unknown thread should raise")
    except NotFoundError:
        pass
    events = [p async for p in client.runs.stream(None, "boom", input={}, stream_mode="values")]
    check(events[-1].event == "error" and "node exploded" in events[-1].data["message"], f"error event {events}")
    print("ok errors")


async def timetravel(client):
    tid = (await client.threads.create())["thread_id"]
    done = await client.runs.wait(tid, "slow", input={"delayMs": 1})
    check(done["trail"] == ["first", "second"], f"first run {done}")
    history = await client.threads.get_history(tid)
    before_second = next(h for h in history if h["next"] == ["second"])
    replayed = await client.runs.wait(tid, "slow", checkpoint_id=before_second["checkpoint"]["checkpoint_id"])
    check(replayed["trail"] == ["first", "second"], f"replay {replayed}")
    fork = await client.threads.update_state(tid, {"trail": ["edited"]}, as_node="first",
                                             checkpoint_id=before_second["checkpoint"]["checkpoint_id"])
    forked = await client.runs.wait(tid, "slow", checkpoint=fork["checkpoint"])
    check(forked["trail"] == ["first", "edited", "second"], f"fork {forked}")
    print("ok timetravel")


async def multitask(client):
    from langgraph_sdk.errors import ConflictError
    tid = (await client.threads.create())["thread_id"]
    first = await client.runs.create(tid, "slow", input={"delayMs": 400})
    try:
        await client.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="reject")
        raise AssertionError("reject on a busy thread should raise")
    except ConflictError:
        pass
    queued = await client.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="enqueue")
    joined = await client.runs.join(tid, queued["run_id"])
    check(joined["trail"] == ["first", "second", "first", "second"], f"enqueued {joined}")
    check((await client.runs.get(tid, first["run_id"]))["status"] == "success", "first run ended")
    slow = await client.runs.create(tid, "slow", input={"delayMs": 5000})
    interrupting = await client.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="interrupt")
    await client.runs.join(tid, interrupting["run_id"])
    check((await client.runs.get(tid, slow["run_id"]))["status"] == "interrupted", "interrupted by the next run")
    print("ok multitask")


async def store(client):
    ns = ["sdk", "py"]
    await client.store.put_item(ns, "a", {"n": 1})
    item = await client.store.get_item(ns, "a")
    check(item["value"] == {"n": 1} and item["namespace"] == ns, f"get_item {item}")
    found = await client.store.search_items(["sdk"], filter={"n": {"$gte": 1}})
    check([i["key"] for i in found["items"]] == ["a"], f"search_items {found}")
    spaces = await client.store.list_namespaces(prefix=["sdk"])
    check(spaces["namespaces"] == [ns], f"list_namespaces {spaces}")
    await client.store.delete_item(ns, "a")
    check(await client.store.get_item(ns, "a") is None, "deleted")
    print("ok store")


def sync_client():
    # the synchronous client sends runs.wait's raise_error in the body (the server refused it with 422 before)
    client = get_sync_client(url=BASE, api_key=None, timeout=20)
    tid = client.threads.create()["thread_id"]
    check(client.runs.wait(tid, "echo", input={"in": "s"}) == {"in": "s", "out": "s!"}, "sync wait")
    steered = client.runs.wait(tid, "echo", command={"goto": "echo", "update": {"in": "t"}})
    check(steered == {"in": "t", "out": "t!"}, f"command goto/update {steered}")
    parts = list(client.runs.stream(None, "slow", input={"delayMs": 1}, stream_mode=["custom", "tasks"]))
    check([p.data for p in parts if p.event == "custom"] == [{"progress": "first"}, {"progress": "second"}],
          f"custom {parts}")
    # the sync client leaves raise_error to the server; as the reference server (langgraphjs dev), which ignores it,
    # the failed run's {"__error__"} comes back either way
    for raise_error in (False, True):
        failed = client.runs.wait(None, "boom", input={}, raise_error=raise_error)
        check("node exploded" in failed["__error__"]["message"], f"raise_error={raise_error}: {failed}")
    print("ok sync")


async def main():
    client = get_client(url=BASE, api_key=None, timeout=20)
    for flow in (assistants, threads, streams, background, interrupts, timetravel, multitask, store, reconnect,
                 errors):
        await asyncio.wait_for(flow(client), 60)


asyncio.run(main())
sync_client()
