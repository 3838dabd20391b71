"""The flows of sdk_diff.py: what a LangGraph user writes with the Python SDK, each recording every answer it gets.

A flow is `async def flow(r)`; r.client is the SDK's async client for one server, r.call(step, awaitable) records an
answer (or the error it raised), r.stream(step, thread, assistant, **run options) records a run stream's events,
r.http(step, method, path, body) records a raw request's status and body (for bodies the SDK cannot send). Steps are
named so that the two servers' records are compared step by step; everything a flow creates is its own (threads are
found by a metadata key naming the flow), so the flows see the same data on both servers. Timing: a flow that needs a
run in flight waits (bounded) until the run is running on that server before it goes on.
"""
import asyncio
import re
import uuid

import httpx
from langgraph_sdk import get_client
from langgraph_sdk.schema import Command

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Graphloop's checkpoint ids (and LangGraph's uuid6 ones, matched by UUID first)
CHECKPOINT_ID = re.compile(r"^[0-9a-f]{16,}(-[0-9a-f]+)*$")
NAMESPACE = re.compile(r"[\w-]+:[0-9a-f]{8}-?[0-9a-f-]{8,}")  # node:task_id
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")
RUN_WAIT_TIMEOUT = 30
KINDS = {"thread_id": "thread", "run_id": "run", "runId": "run", "assistant_id": "assistant",
         "checkpoint_id": "checkpoint", "parent_checkpoint_id": "checkpoint", "checkpoint": "checkpoint"}


class Recorder:
    """One server's client and the answers a flow got from it, in order."""

    def __init__(self, base):
        self.base = base
        self.client = get_client(url=base, timeout=RUN_WAIT_TIMEOUT)
        self.steps = []
        self.raw = []

    async def call(self, step, awaitable):
        try:
            value = await awaitable
        except httpx.HTTPStatusError as e:
            value = error_of(e.response)
        except Exception as e:  # noqa: BLE001 - the SDK's own failure is an answer to compare too
            value = {"raised": type(e).__name__}
        self.raw.append(value)
        self.steps.append((step, value))
        return value

    async def stream(self, step, thread_id, assistant_id, **kwargs):
        """Records the events of runs.stream(thread_id, assistant_id, **kwargs); events of modes not asked for are
        recorded apart, by name only."""
        modes = kwargs.get("stream_mode", "values")
        modes = [modes] if isinstance(modes, str) else modes
        parts = self.client.runs.stream(thread_id, assistant_id, **kwargs)
        events = []
        unasked = []
        asked = set(modes) | {"metadata", "error", "http-error"}
        try:
            async for part in parts:
                if part.event.split("|")[0] in asked:
                    events.append([part.event, part.data])
                else:
                    unasked.append(part.event)
        except httpx.HTTPStatusError as e:
            events.append(["http-error", error_of(e.response)])
        self.raw.append(events)
        self.steps.append((step, events))
        self.steps.append((step + " (events of modes not asked for)", unasked))
        return events

    async def http(self, step, method, path, body=None, raw=None):
        async with httpx.AsyncClient(base_url=self.base, timeout=RUN_WAIT_TIMEOUT) as http:
            if raw is not None:
                response = await http.request(method, path, content=raw,
                                              headers={"content-type": "application/json"})
            else:
                response = await http.request(method, path, json=body)
        value = error_of(response) if response.status_code >= 400 else {"status": response.status_code}
        self.steps.append((step, value))
        return value


def error_of(response):
    """An error answer as the SDK user sees it: the status and the body's keys (its text differs by server)."""
    try:
        body = response.json()
        shape = sorted(body) if isinstance(body, dict) else type(body).__name__
    except ValueError:
        shape = "not JSON"
    return {"error": response.status_code, "body": shape}


async def record(base, flow):
    recorder = Recorder(base)
    try:
        await flow(recorder)
    except Exception as e:  # noqa: BLE001 - a flow that cannot go on is a difference, not a crash
        recorder.steps.append(("flow stopped", {"raised": f"{type(e).__name__}: {e}"}))
    return normalize(recorder.steps)


def normalize(steps):
    """Replaces generated ids by <id:N> (by first appearance), timestamps by <ts>, interrupt ids by <interrupt-id>."""
    names = {}
    counts = {}

    def name(value, key=None):
        # numbered per kind (the key it is first seen under), so an id only one server sends does not shift the
        # numbers of the others
        if value not in names:
            kind = KINDS.get(key, "id")
            counts[kind] = counts.get(kind, 0) + 1
            names[value] = f"<{kind}:{counts[kind]}>"
        return names[value]

    def walk(value, key=None):
        if isinstance(value, dict):
            if set(value) == {"value", "id"} or set(value) == {"value", "id", "when", "resumable", "ns"}:
                return {k: ("<interrupt-id>" if k == "id" else walk(v, k)) for k, v in sorted(value.items())}
            if "id" in value and "name" in value and "type" not in value and "value" not in value:
                # a task (state tasks, debug and tasks stream events): its id is each server's own
                value = {**value, "id": "<task-id>"}
            if key == "interrupts":  # keyed by task ids, each server's own
                return {"<task-id>" if i == 0 else f"<task-id:{i}>": walk(v) for i, (_, v) in
                        enumerate(sorted(value.items(), key=lambda kv: str(kv[0])))}
            return {k: walk(v, k) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key in ("interrupt_id",):
                return "<interrupt-id>"
            if TIMESTAMP.match(value):
                return "<ts>"
            if UUID.fullmatch(value) or (key in ("checkpoint_id", "parent_checkpoint_id", "id", "run_id",
                                                 "thread_id", "task_id") and CHECKPOINT_ID.match(value)):
                return name(value, key)
            if "|" in value or NAMESPACE.fullmatch(value):
                # a namespace "node:task_id" (or "a:x|b:y"), an event name "values|node:task_id": the task ids are
                # each server's own
                return "|".join(p.split(":")[0] + ":<task>" if NAMESPACE.fullmatch(p)
                                else UUID.sub(lambda m: name(m.group(0)), p) for p in value.split("|"))
            return UUID.sub(lambda m: name(m.group(0)), value)
        return value

    return [(step, walk(value)) for step, value in steps]


async def running(r, thread_id, run):
    """Waits (at most 10 s, unrecorded) until `run` has started: a reference worker may take a moment to pick it."""
    for _ in range(200):
        if (await r.client.runs.get(thread_id, run["run_id"]))["status"] == "running":
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run['run_id']} did not start within 10 s")


def suite(flow):
    return {"sdk_diff": flow}


async def thread(r, flow, step="create thread", graph_id=None, **extra):
    return await r.call(step, r.client.threads.create(metadata={**suite(flow), **extra}, graph_id=graph_id))


# ---------------------------------------------------------------------------------------------------------- flows


async def threads_search(r):
    c = r.client
    for i, color in enumerate(["red", "blue", "red"]):
        t = await thread(r, "threads_search", f"create {i}", n=i, color=color)
        await r.call(f"run {i}", c.runs.wait(t["thread_id"], "echo", input={"in": color}))
        await asyncio.sleep(0.02)  # distinct created_at/updated_at
    h = await thread(r, "threads_search", "create hitl", n=3, color="green")
    await r.call("run hitl", c.runs.wait(h["thread_id"], "hitl", input={"topic": "cats"}))
    f = suite("threads_search")
    await r.call("by metadata", c.threads.search(metadata=f, sort_by="created_at", sort_order="asc"))
    await r.call("by metadata desc", c.threads.search(metadata=f, sort_by="created_at", sort_order="desc"))
    await r.call("by two keys", c.threads.search(metadata={**f, "color": "red"}, sort_by="created_at",
                                                 sort_order="asc"))
    await r.call("by values", c.threads.search(metadata=f, values={"in": "blue"}))
    await r.call("by values no match", c.threads.search(metadata=f, values={"in": "nope"}))
    await r.call("by status interrupted", c.threads.search(metadata=f, status="interrupted"))
    await r.call("by status idle", c.threads.search(metadata=f, status="idle", sort_by="created_at",
                                                    sort_order="asc"))
    await r.call("limit 2", c.threads.search(metadata=f, limit=2, sort_by="created_at", sort_order="asc"))
    await r.call("limit 2 offset 2", c.threads.search(metadata=f, limit=2, offset=2, sort_by="created_at",
                                                      sort_order="asc"))
    await r.call("offset past end", c.threads.search(metadata=f, limit=2, offset=10))
    await r.call("sort updated_at desc", c.threads.search(metadata=f, sort_by="updated_at", sort_order="desc"))
    await r.call("count", c.threads.count(metadata=f))
    await r.call("count interrupted", c.threads.count(metadata=f, status="interrupted"))


async def copy_then_history(r):
    c = r.client
    t = await thread(r, "copy_then_history")
    tid = t["thread_id"]
    await r.call("run to interrupt", c.runs.wait(tid, "hitl", input={"topic": "owls"}))
    copy = await r.call("copy", c.threads.copy(tid))
    cid = copy["thread_id"] if isinstance(copy, dict) and "thread_id" in copy else None
    await r.call("get copy", c.threads.get(cid))
    await r.call("copy history", c.threads.get_history(cid))
    await r.call("copy state", c.threads.get_state(cid))
    await r.call("resume copy", c.runs.wait(cid, "hitl", command=Command(resume="yes")))
    await r.call("copy state after", c.threads.get_state(cid))
    await r.call("original state", c.threads.get_state(tid))
    await r.call("original history", c.threads.get_history(tid, limit=2))


async def history_filters(r):
    c = r.client
    t = await thread(r, "history_filters")
    tid = t["thread_id"]
    await r.call("run 1", c.runs.wait(tid, "echo", input={"in": "a"}))
    await r.call("run 2", c.runs.wait(tid, "echo", input={"in": "b"}))
    full = await r.call("history", c.threads.get_history(tid, limit=20))
    await r.call("limit 2", c.threads.get_history(tid, limit=2))
    if isinstance(full, list) and len(full) > 3:
        before = full[2]["checkpoint"]
        await r.call("before third", c.threads.get_history(tid, before=before, limit=10))
        await r.call("before by id", c.threads.get_history(tid, before={"checkpoint_id": before["checkpoint_id"]}))
    await r.call("metadata source loop", c.threads.get_history(tid, metadata={"source": "loop"}))
    await r.call("metadata source input", c.threads.get_history(tid, metadata={"source": "input"}))
    await r.call("metadata step 1", c.threads.get_history(tid, metadata={"step": 1}))
    await r.call("metadata no match", c.threads.get_history(tid, metadata={"source": "nope"}))


async def update_state_as_node(r):
    c = r.client
    bare = await thread(r, "update_state_as_node", "create bare")
    await r.call("update a thread without a graph", c.threads.update_state(bare["thread_id"], {"in": "x"}))
    t = await thread(r, "update_state_as_node", graph_id="hitl")
    tid = t["thread_id"]
    await r.call("update as draft", c.threads.update_state(tid, {"topic": "cats", "text": "by hand"}, as_node="draft"))
    await r.call("thread after update", c.threads.get(tid))
    await r.call("state after update", c.threads.get_state(tid))
    await r.call("run from it", c.runs.wait(tid, "hitl", input=None))
    await r.call("state at interrupt", c.threads.get_state(tid))
    await r.call("update as approve", c.threads.update_state(tid, {"answer": "yes"}, as_node="approve"))
    await r.call("thread after second update", c.threads.get(tid))
    await r.call("finish", c.runs.wait(tid, "hitl", input=None))
    await r.call("thread at end", c.threads.get(tid))
    e = await thread(r, "update_state_as_node", "create echo", graph_id="echo")
    eid = e["thread_id"]
    await r.call("echo update without as_node", c.threads.update_state(eid, {"in": "x"}))
    await r.call("echo thread", c.threads.get(eid))
    await r.call("echo state", c.threads.get_state(eid))
    await r.call("echo run", c.runs.wait(eid, "echo", input=None))


async def multitask(r):
    c = r.client
    for strategy in ["reject", "enqueue", "interrupt", "rollback"]:
        t = await thread(r, "multitask", f"create {strategy}")
        tid = t["thread_id"]
        first = await r.call(f"{strategy} first", c.runs.create(tid, "slow", input={"delayMs": 1000}))
        await running(r, tid, first)
        second = await r.call(f"{strategy} second", c.runs.create(tid, "slow", input={"delayMs": 50},
                                                                  multitask_strategy=strategy))
        if isinstance(second, dict) and "run_id" in second:
            await r.call(f"{strategy} join second", c.runs.join(tid, second["run_id"]))
        await r.call(f"{strategy} join first", c.runs.join(tid, first["run_id"]))
        await r.call(f"{strategy} first after", c.runs.get(tid, first["run_id"]))
        await r.call(f"{strategy} runs", c.runs.list(tid))
        await r.call(f"{strategy} state", c.threads.get_state(tid))


async def runs_list_and_join(r):
    c = r.client
    t = await thread(r, "runs_list_and_join")
    tid = t["thread_id"]
    done = []
    for i in range(2):
        run = await r.call(f"create {i}", c.runs.create(tid, "echo", input={"in": str(i)}))
        await r.call(f"join {i}", c.runs.join(tid, run["run_id"]))
        done.append(run)
    await r.call("join finished again", c.runs.join(tid, done[0]["run_id"]))
    s = await thread(r, "runs_list_and_join", "create slow thread")
    sid = s["thread_id"]
    await r.call("another graph on the thread", c.runs.wait(tid, "slow", input={"delayMs": 1}))
    slow = await r.call("create slow", c.runs.create(sid, "slow", input={"delayMs": 800}))
    await running(r, sid, slow)
    await r.call("list running", c.runs.list(sid, status="running"))
    await r.call("list pending", c.runs.list(sid, status="pending"))
    await r.call("cancel wait", c.runs.cancel(sid, slow["run_id"], wait=True))
    await r.call("join cancelled", c.runs.join(sid, slow["run_id"]))
    await r.call("get cancelled", c.runs.get(sid, slow["run_id"]))
    await r.call("list success", c.runs.list(tid, status="success"))
    await r.call("list interrupted", c.runs.list(sid, status="interrupted"))
    await r.call("list limit 1 offset 1", c.runs.list(tid, limit=1, offset=1))
    await r.call("list all", c.runs.list(tid))
    await r.call("thread after cancel", c.threads.get(sid))
    await r.call("list cancelled thread", c.runs.list(sid))
    await r.call("delete run", c.runs.delete(tid, done[0]["run_id"]))
    await r.call("get deleted run", c.runs.get(tid, done[0]["run_id"]))


async def cancel_rollback(r):
    c = r.client
    t = await thread(r, "cancel_rollback")
    tid = t["thread_id"]
    await r.call("first run", c.runs.wait(tid, "slow", input={"delayMs": 1}))
    run = await r.call("slow run", c.runs.create(tid, "slow", input={"delayMs": 800}))
    await running(r, tid, run)
    await r.call("cancel rollback", c.runs.cancel(tid, run["run_id"], wait=True, action="rollback"))
    await r.call("get rolled back", c.runs.get(tid, run["run_id"]))
    await r.call("state", c.threads.get_state(tid))
    await r.call("thread", c.threads.get(tid))


async def stream_modes(r):
    c = r.client
    t = await thread(r, "stream_modes")
    tid = t["thread_id"]
    await r.stream("all modes", tid, "echo", input={"in": "m"},
                   stream_mode=["updates", "values", "debug", "tasks", "checkpoints"])
    s = await thread(r, "stream_modes", "create slow")
    await r.stream("updates values custom", s["thread_id"], "slow", input={"delayMs": 5},
                   stream_mode=["updates", "values", "custom"])
    h = await thread(r, "stream_modes", "create hitl")
    await r.stream("interrupt updates tasks", h["thread_id"], "hitl", input={"topic": "t"},
                   stream_mode=["updates", "tasks"])
    await r.stream("resume values", h["thread_id"], "hitl", command=Command(resume="no"),
                   stream_mode="values")
    await r.stream("error", None, "boom", input={"in": "x"}, stream_mode="values")


async def subgraphs(r):
    c = r.client
    t = await thread(r, "subgraphs")
    tid = t["thread_id"]
    await r.stream("stream subgraphs", tid, "nested", input={"in": "s"},
                   stream_mode=["updates", "values"], stream_subgraphs=True)
    await r.stream("stream without subgraphs", tid, "nested", input={"in": "u"},
                   stream_mode="updates")
    await r.call("state", c.threads.get_state(tid))
    await r.call("state with subgraphs", c.threads.get_state(tid, subgraphs=True))
    # stopped before the subgraph node: its task's state is the child's config (thread_id, checkpoint_ns
    # "inner:<task>"), in the state, the history and the debug checkpoint events; other tasks' state is null
    b = await thread(r, "subgraphs", "create before inner")
    bid = b["thread_id"]
    await r.stream("stream before inner", bid, "nested", input={"in": "b"}, interrupt_before=["inner"],
                   stream_mode="debug")
    await r.call("state before inner", c.threads.get_state(bid))
    await r.call("history before inner", c.threads.get_history(bid))
    await r.call("get_subgraphs", c.assistants.get_subgraphs("nested"))
    await r.call("get_subgraphs recurse", c.assistants.get_subgraphs("nested", recurse=True))
    await r.call("get_subgraphs of echo", c.assistants.get_subgraphs("echo"))
    await r.call("graph", c.assistants.get_graph("nested"))
    await r.call("graph xray", c.assistants.get_graph("nested", xray=True))


async def breakpoints(r):
    c = r.client
    t = await thread(r, "breakpoints")
    tid = t["thread_id"]
    await r.call("run interrupt_before second", c.runs.wait(tid, "slow", input={"delayMs": 1},
                                                            interrupt_before=["second"]))
    await r.call("thread at breakpoint", c.threads.get(tid))
    await r.call("state at breakpoint", c.threads.get_state(tid))
    await r.call("continue", c.runs.wait(tid, "slow", input=None))
    await r.call("run interrupt_after first", c.runs.wait(tid, "slow", input={"delayMs": 1},
                                                          interrupt_after=["first"]))
    await r.call("state after first", c.threads.get_state(tid))
    await r.call("continue again", c.runs.wait(tid, "slow", input=None))
    await r.call("thread at end", c.threads.get(tid))
    e = await thread(r, "breakpoints", "create echo")
    await r.stream("stream interrupt_before all", e["thread_id"], "echo", input={"in": "b"},
                   interrupt_before="*", stream_mode="updates")


async def commands(r):
    c = r.client
    t = await thread(r, "commands")
    tid = t["thread_id"]
    await r.call("run to interrupt", c.runs.wait(tid, "hitl", input={"topic": "bees"}))
    await r.call("thread interrupted", c.threads.get(tid))
    await r.call("resume", c.runs.wait(tid, "hitl", command=Command(resume="yes")))
    g = await thread(r, "commands", "create goto")
    await r.call("goto with update", c.runs.wait(g["thread_id"], "hitl",
                                                 command=Command(goto="publish", update={"answer": "yes"})))
    await r.call("goto state", c.threads.get_state(g["thread_id"]))
    u = await thread(r, "commands", "create update")
    await r.call("update only", c.runs.wait(u["thread_id"], "echo", command=Command(update={"in": "cmd"})))
    await r.call("resume without interrupt", c.runs.wait(u["thread_id"], "echo", command=Command(resume="x")))


async def fork(r):
    c = r.client
    t = await thread(r, "fork")
    tid = t["thread_id"]
    await r.call("run 1", c.runs.wait(tid, "echo", input={"in": "one"}))
    await r.call("run 2", c.runs.wait(tid, "echo", input={"in": "two"}))
    history = await r.call("history", c.threads.get_history(tid, limit=10))
    first_end = history[2]["checkpoint"]["checkpoint_id"]
    await r.call("replay from run 1's end", c.runs.wait(tid, "echo", input={"in": "fork"}, checkpoint_id=first_end))
    await r.call("history after fork", c.threads.get_history(tid, limit=10))
    await r.call("fork with checkpoint object", c.runs.wait(tid, "echo", input={"in": "obj"},
                                                            checkpoint={"checkpoint_id": first_end}))
    await r.call("state", c.threads.get_state(tid))
    await r.call("unknown checkpoint", c.runs.wait(tid, "echo", input={"in": "x"},
                                                   checkpoint_id="1ef00000-0000-6000-8000-000000000000"))


async def create_and_stateless(r):
    c = r.client
    tid = str(uuid.uuid4())
    await r.call("wait unknown thread", c.runs.wait(tid, "echo", input={"in": "x"}))
    await r.call("wait if_not_exists create", c.runs.wait(tid, "echo", input={"in": "x"}, if_not_exists="create"))
    await r.call("thread created", c.threads.get(tid))
    other = str(uuid.uuid4())
    run = await r.call("create if_not_exists create", c.runs.create(other, "echo", input={"in": "y"},
                                                                    if_not_exists="create"))
    await r.call("join it", c.runs.join(other, run["run_id"]))
    await r.call("if_not_exists reject", c.runs.create(str(uuid.uuid4()), "echo", input={"in": "z"},
                                                       if_not_exists="reject"))
    before = await c.threads.count()  # every flow's threads: only the difference is compared
    await r.call("stateless delete", c.runs.wait(None, "echo", input={"in": "d"}, on_completion="delete"))
    await r.call("stateless keep", c.runs.wait(None, "echo", input={"in": "k"}, on_completion="keep"))
    await asyncio.sleep(0.2)
    after = await c.threads.count()
    r.steps.append(("threads added", after - before if isinstance(after, int) and isinstance(before, int) else None))
    run = await r.call("stateless background", c.runs.create(None, "echo", input={"in": "bg"}))
    await r.stream("stateless stream", None, "echo", input={"in": "st"}, stream_mode="values")


async def assistants(r):
    c = r.client
    a = await r.call("create", c.assistants.create("echo", config={"configurable": {"model": "m1"}},
                                                   metadata={"sdk_diff": "assistants", "team": "blue"},
                                                   name="echo-one"))
    aid = a["assistant_id"]
    await r.call("get", c.assistants.get(aid))
    await r.call("update", c.assistants.update(aid, config={"configurable": {"model": "m2"}},
                                               metadata={"team": "red"}))
    await r.call("update name", c.assistants.update(aid, name="echo-two"))
    await r.call("versions", c.assistants.get_versions(aid))
    await r.call("versions by metadata", c.assistants.get_versions(aid, metadata={"team": "red"}))
    await r.call("set_latest 1", c.assistants.set_latest(aid, 1))
    await r.call("get after set_latest", c.assistants.get(aid))
    await r.call("set_latest unknown version", c.assistants.set_latest(aid, 99))
    await r.call("search by metadata", c.assistants.search(metadata={"sdk_diff": "assistants"}))
    await r.call("search by graph_id", c.assistants.search(graph_id="hitl"))
    await r.call("search by name", c.assistants.search(name="echo-one"))
    system = {"created_by": "system"}  # the graphs' own assistants, one per graph
    await r.call("search sorted", c.assistants.search(metadata=system, sort_by="graph_id", sort_order="asc",
                                                      limit=3))
    await r.call("search offset", c.assistants.search(metadata=system, sort_by="graph_id", sort_order="desc",
                                                      limit=2, offset=2))
    await r.call("count", c.assistants.count(graph_id="echo"))
    await r.call("schemas", c.assistants.get_schemas(aid))
    await r.call("run with it", c.runs.wait(None, aid, input={"in": "as"}))
    await r.call("create if_exists do_nothing", c.assistants.create("echo", assistant_id=aid,
                                                                    if_exists="do_nothing"))
    await r.call("create if_exists raise", c.assistants.create("echo", assistant_id=aid, if_exists="raise"))
    await r.call("create unknown graph", c.assistants.create("nope"))
    await r.call("delete", c.assistants.delete(aid))
    await r.call("get deleted", c.assistants.get(aid))


async def errors(r):
    c = r.client
    unknown = str(uuid.uuid4())
    await r.call("unknown thread", c.threads.get(unknown))
    await r.call("unknown thread state", c.threads.get_state(unknown))
    await r.call("unknown thread history", c.threads.get_history(unknown))
    await r.call("unknown thread run", c.runs.wait(unknown, "echo", input={"in": "x"}))
    await r.call("unknown thread delete", c.threads.delete(unknown))
    t = await thread(r, "errors")
    tid = t["thread_id"]
    await r.call("unknown run", c.runs.get(tid, unknown))
    await r.call("unknown run join", c.runs.join(tid, unknown))
    await r.call("unknown run cancel", c.runs.cancel(tid, unknown))
    await r.call("unknown assistant", c.assistants.get(unknown))
    await r.call("unknown assistant by name", c.assistants.get("nope"))
    await r.call("run unknown assistant", c.runs.wait(tid, "nope", input={}))
    run = await r.call("busy first", c.runs.create(tid, "slow", input={"delayMs": 500}))
    await running(r, tid, run)
    await r.call("busy reject", c.runs.create(tid, "slow", input={"delayMs": 1}, multitask_strategy="reject"))
    await r.call("busy thread", c.threads.get(tid))
    await r.call("busy join", c.runs.join(tid, run["run_id"]))
    await r.http("bad assistant_id type", "POST", f"/threads/{tid}/runs", {"assistant_id": 5})
    await r.http("missing assistant_id", "POST", f"/threads/{tid}/runs", {"input": {}})
    await r.http("bad json", "POST", "/threads", raw=b"{not json")
    await r.http("bad metadata type", "POST", "/threads", {"metadata": "x"})
    await r.http("bad limit type", "POST", "/threads/search", {"limit": "ten"})
    await r.http("bad stream_mode", "POST", "/runs/stream", {"assistant_id": "echo", "stream_mode": "nope"})
    await r.http("bad multitask_strategy", "POST", f"/threads/{tid}/runs",
                 {"assistant_id": "echo", "multitask_strategy": "nope"})
    await r.http("thread if_exists raise", "POST", "/threads", {"thread_id": tid, "if_exists": "raise"})
    await r.http("bad thread id in path", "GET", "/threads/not-a-uuid")


FLOWS = [(f.__name__, f) for f in [threads_search, copy_then_history, history_filters, update_state_as_node,
                                   multitask, runs_list_and_join, cancel_rollback, stream_modes, subgraphs,
                                   breakpoints, commands, fork, create_and_stateless, assistants, errors]]
