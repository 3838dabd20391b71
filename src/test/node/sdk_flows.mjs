// Drives Graphloop's server with LangGraph's real JS SDK (@langchain/langgraph-sdk 1.15.0); run by
// io.graphloop.server.JsSdkTest against ServerFixture's graphs (echo, slow, hitl, boom).
// Usage: node sdk_flows.mjs BASE_URL [API_KEY]
// Prints one line "ok <flow>" per flow that passed; exits 1 with the failing assertion otherwise.
import assert from "node:assert/strict";
import { Client } from "@langchain/langgraph-sdk";

const [base, apiKey] = process.argv.slice(2);
const client = new Client({ apiUrl: base, apiKey: apiKey ?? null, timeoutMs: 20000 });

async function collect(iterable) {
  const parts = [];
  for await (const part of iterable) parts.push(part);
  return parts;
}

async function assistants() {
  const found = await client.assistants.search({ limit: 10 });
  assert.deepEqual(found.map((a) => a.graph_id).sort(), ["boom", "echo", "hitl", "slow"]);
  const echo = await client.assistants.get("echo");
  assert.equal(echo.graph_id, "echo");
  assert.equal((await client.assistants.get(echo.assistant_id)).assistant_id, echo.assistant_id);
  const graph = await client.assistants.getGraph("hitl");
  assert.deepEqual(graph.nodes.map((n) => n.id), ["__start__", "draft", "approve", "publish", "__end__"]);
  const edges = graph.edges.map((e) => `${e.source}->${e.target}`);
  assert.ok(edges.includes("draft->approve") && edges.includes("publish->__end__"), edges.join(","));
  const xray = await client.assistants.getGraph("hitl", { xray: true });
  assert.deepEqual(xray.nodes.map((n) => n.id), graph.nodes.map((n) => n.id));
  const schemas = await client.assistants.getSchemas("slow");
  assert.equal(schemas.graph_id, "slow");
  assert.equal(schemas.state_schema.type, "object");
  assert.ok(schemas.state_schema.properties.trail, JSON.stringify(schemas));
  // an assistant of our own over a graph: create, get, version, set latest, run it, delete it
  const mine = await client.assistants.create({ graphId: "echo", name: "shouty", metadata: { team: "js" },
    config: { configurable: { tone: "loud" } } });
  assert.equal(mine.graph_id, "echo");
  assert.equal(mine.version, 1);
  assert.equal(mine.name, "shouty");
  assert.deepEqual(mine.config.configurable, { tone: "loud" });
  assert.equal((await client.assistants.create({ graphId: "echo", assistantId: mine.assistant_id, ifExists: "do_nothing" })).name, "shouty");
  await assert.rejects(client.assistants.create({ graphId: "echo", assistantId: mine.assistant_id }), (e) => e.status === 409);
  await assert.rejects(client.assistants.create({ graphId: "nope" }), (e) => e.status === 404);
  assert.deepEqual((await client.assistants.search({ metadata: { team: "js" } })).map((a) => a.assistant_id), [mine.assistant_id]);
  assert.equal(await client.assistants.count({ graphId: "echo" }), 2);
  const v2 = await client.assistants.update(mine.assistant_id, { name: "quiet", metadata: { v: 2 } });
  assert.equal(v2.version, 2);
  assert.equal(v2.name, "quiet");
  assert.deepEqual(v2.metadata, { team: "js", v: 2 });
  const versions = await client.assistants.getVersions(mine.assistant_id);
  assert.deepEqual(versions.map((v) => [v.version, v.name]), [[2, "quiet"], [1, "shouty"]]);
  assert.equal((await client.assistants.setLatest(mine.assistant_id, 1)).name, "shouty");
  assert.equal((await client.assistants.get(mine.assistant_id)).version, 1);
  const tid = (await client.threads.create()).thread_id;
  assert.deepEqual(await client.runs.wait(tid, mine.assistant_id, { input: { in: "a" } }), { in: "a", out: "a!" });
  assert.equal((await client.runs.list(tid))[0].assistant_id, mine.assistant_id);
  await client.assistants.delete(mine.assistant_id);
  await assert.rejects(client.assistants.get(mine.assistant_id), (e) => e.status === 404);
}

async function threads() {
  const thread = await client.threads.create({ metadata: { owner: "js" } });
  const tid = thread.thread_id;
  assert.equal(thread.status, "idle");
  assert.equal((await client.threads.get(tid)).thread_id, tid);
  assert.deepEqual(await client.runs.wait(tid, "echo", { input: { in: "hi" } }), { in: "hi", out: "hi!" });
  const state = await client.threads.getState(tid);
  assert.deepEqual(state.values, { in: "hi", out: "hi!" });
  assert.deepEqual(state.next, []);
  const history = await client.threads.getHistory(tid);
  assert.ok(history.length >= 2, `history ${history.length}`);
  assert.equal(history[0].checkpoint.checkpoint_id, state.checkpoint.checkpoint_id);
  const updated = await client.threads.updateState(tid, { values: { out: "edited" }, asNode: "echo" });
  assert.equal(updated.checkpoint.thread_id, tid);
  assert.equal((await client.threads.getState(tid)).values.out, "edited");
  assert.equal((await client.threads.getState(tid, state.checkpoint.checkpoint_id)).values.out, "hi!");
  const searched = await client.threads.search({ metadata: { owner: "js" } });
  assert.ok(searched.some((t) => t.thread_id === tid));
  // the state at a checkpoint given as an object (POST /threads/{id}/state/checkpoint)
  assert.equal((await client.threads.getState(tid, { checkpoint_id: state.checkpoint.checkpoint_id })).values.out, "hi!");
  const page = await client.threads.getHistory(tid, { limit: 1, before: { configurable: { checkpoint_id: state.checkpoint.checkpoint_id } } });
  assert.equal(page.length, 1);
  assert.equal(page[0].checkpoint.checkpoint_id, history[1].checkpoint.checkpoint_id);
  // create with an id: if_exists raise (409) or do_nothing (the existing thread)
  await assert.rejects(client.threads.create({ threadId: tid }), (e) => e.status === 409);
  assert.deepEqual((await client.threads.create({ threadId: tid, ifExists: "do_nothing" })).metadata.owner, "js");
  const patched = await client.threads.update(tid, { metadata: { label: "x" } });
  assert.equal(patched.metadata.label, "x");
  assert.equal(patched.metadata.owner, "js");
  // copy: a new thread with the same metadata (and its own thread_id in it) and the same checkpoints
  const copy = await client.threads.copy(tid);
  assert.notEqual(copy.thread_id, tid);
  assert.equal(copy.metadata.owner, "js");
  assert.equal(copy.metadata.thread_id, copy.thread_id);
  assert.deepEqual((await client.threads.getHistory(copy.thread_id)).map((s) => s.checkpoint.checkpoint_id),
    (await client.threads.getHistory(tid)).map((s) => s.checkpoint.checkpoint_id));
  assert.deepEqual((await client.threads.getState(copy.thread_id)).values, (await client.threads.getState(tid)).values);
  const doomed = (await client.threads.create()).thread_id;
  await client.threads.delete(doomed);
  await assert.rejects(client.threads.get(doomed), (e) => e.status === 404);
  assert.equal((await client.threads.get(tid)).thread_id, tid);
}

async function streams() {
  const tid = (await client.threads.create()).thread_id;
  const parts = await collect(client.runs.stream(tid, "slow", { input: { delayMs: 10 }, streamMode: ["values", "updates"] }));
  assert.equal(parts[0].event, "metadata");
  assert.ok(parts[0].data.run_id);
  assert.deepEqual(parts.slice(1).map((p) => p.event), ["values", "updates", "values", "updates", "values"]);
  assert.deepEqual(parts[2].data, { first: { trail: ["first"] } });
  assert.deepEqual(parts.at(-1).data, { delayMs: 10, trail: ["first", "second"] });
  const debug = await collect(client.runs.stream(tid, "slow", { input: { delayMs: 1 }, streamMode: "debug" }));
  const types = debug.filter((p) => p.event === "debug").map((p) => p.data.type);
  for (const type of ["checkpoint", "task", "task_result"]) assert.ok(types.includes(type), types.join(","));
  const stateless = await collect(client.runs.stream(null, "echo", { input: { in: "s" }, streamMode: "values" }));
  assert.deepEqual(stateless.at(-1).data, { in: "s", out: "s!" });
  const custom = await collect(client.runs.stream(tid, "slow", { input: { delayMs: 1 }, streamMode: ["custom", "updates"] }));
  assert.deepEqual(custom.filter((p) => p.event === "custom").map((p) => p.data), [{ progress: "first" }, { progress: "second" }]);
  const tasks = await collect(client.runs.stream(tid, "slow", { input: { delayMs: 1 }, streamMode: "tasks" }));
  const taskEvents = tasks.filter((p) => p.event === "tasks").map((p) => p.data);
  assert.deepEqual(taskEvents.map((t) => [t.name, "result" in t]), [["first", false], ["first", true], ["second", false], ["second", true]]);
  assert.ok(taskEvents.every((t) => typeof t.id === "string"), JSON.stringify(taskEvents));
  const checkpoints = await collect(client.runs.stream(tid, "slow", { input: { delayMs: 1 }, streamMode: "checkpoints" }));
  const cps = checkpoints.filter((p) => p.event === "checkpoints").map((p) => p.data);
  assert.ok(cps.length >= 3, JSON.stringify(checkpoints));
  assert.deepEqual(cps.at(-1).values.trail.slice(-2), ["first", "second"]);
  assert.deepEqual(cps.at(-1).next, []);
  // LangGraph's CheckpointPayload keys; the config names the thread (no checkpoint id: see src/docs/server-differences.md)
  assert.ok(cps.every((c) => c.config.configurable.thread_id === tid && c.metadata && "parent_config" in c && Array.isArray(c.tasks)), JSON.stringify(cps[0]));
  assert.deepEqual(cps.map((c) => c.metadata.source), ["input", "loop", "loop", "loop"]);
  const events = await collect(client.runs.stream(null, "echo", { input: { in: "e" }, streamMode: "events" }));
  const kinds = events.filter((p) => p.event === "events").map((p) => p.data.event);
  assert.equal(kinds[0], "on_chain_start");
  assert.equal(kinds.at(-1), "on_chain_end");
  assert.deepEqual(events.filter((p) => p.event === "events").at(-1).data.data.output, { in: "e", out: "e!" });
}

async function background() {
  const tid = (await client.threads.create()).thread_id;
  const run = await client.runs.create(tid, "slow", { input: { delayMs: 50 } });
  assert.ok(["pending", "running"].includes(run.status), run.status);
  assert.deepEqual((await client.runs.join(tid, run.run_id)).trail, ["first", "second"]);
  assert.equal((await client.runs.get(tid, run.run_id)).status, "success");
  assert.deepEqual((await client.runs.list(tid)).map((r) => r.run_id), [run.run_id]);
  const long = await client.runs.create(tid, "slow", { input: { delayMs: 5000 } });
  await client.runs.cancel(tid, long.run_id, true);
  assert.equal((await client.runs.get(tid, long.run_id)).status, "interrupted");
  await client.runs.delete(tid, long.run_id);
  await assert.rejects(client.runs.get(tid, long.run_id), (e) => e.status === 404);
  const rolled = await client.runs.create(tid, "slow", { input: { delayMs: 5000 } });
  await client.runs.cancel(tid, rolled.run_id, true, "rollback");
  await assert.rejects(client.runs.get(tid, rolled.run_id), (e) => e.status === 404);
  assert.deepEqual((await client.runs.list(tid)).map((r) => r.run_id), [run.run_id]);
}

async function timetravel() {
  const tid = (await client.threads.create()).thread_id;
  assert.deepEqual((await client.runs.wait(tid, "slow", { input: { delayMs: 1 } })).trail, ["first", "second"]);
  const history = await client.threads.getHistory(tid);
  const beforeSecond = history.find((h) => h.next.length === 1 && h.next[0] === "second");
  assert.ok(beforeSecond, JSON.stringify(history.map((h) => h.next)));
  // replay: run again from the checkpoint before 'second'; only 'second' runs
  const replayed = await client.runs.wait(tid, "slow", { checkpointId: beforeSecond.checkpoint.checkpoint_id });
  assert.deepEqual(replayed.trail, ["first", "second"]);
  // fork: change the state at that checkpoint (a new branch), then run from the fork
  const fork = await client.threads.updateState(tid, { values: { trail: ["edited"] }, checkpointId: beforeSecond.checkpoint.checkpoint_id, asNode: "first" });
  const forkState = await client.threads.getState(tid, fork.checkpoint.checkpoint_id);
  assert.deepEqual(forkState.values.trail, ["first", "edited"]);
  assert.deepEqual(forkState.next, ["second"]);
  assert.equal(forkState.parent_checkpoint.checkpoint_id, beforeSecond.checkpoint.checkpoint_id);
  const forked = await client.runs.wait(tid, "slow", { checkpoint: { checkpoint_id: fork.checkpoint.checkpoint_id } });
  assert.deepEqual(forked.trail, ["first", "edited", "second"]);
  assert.deepEqual((await client.threads.getState(tid)).values.trail, ["first", "edited", "second"]);
}

async function multitask() {
  const tid = (await client.threads.create()).thread_id;
  // reject: a second run while one is active is refused with 409
  const first = await client.runs.create(tid, "slow", { input: { delayMs: 400 } });
  await assert.rejects(client.runs.create(tid, "slow", { input: { delayMs: 1 }, multitaskStrategy: "reject" }), (e) => e.status === 409);
  // enqueue: the next run waits for the active one, then continues the thread
  const queued = await client.runs.create(tid, "slow", { input: { delayMs: 1 }, multitaskStrategy: "enqueue" });
  assert.equal(queued.status, "pending");
  assert.deepEqual((await client.runs.join(tid, queued.run_id)).trail, ["first", "second", "first", "second"]);
  assert.equal((await client.runs.get(tid, first.run_id)).status, "success");
  // interrupt: the active run is cancelled (kept as interrupted), the new one runs
  const tid2 = (await client.threads.create()).thread_id;
  const slow = await client.runs.create(tid2, "slow", { input: { delayMs: 5000 } });
  const interrupting = await client.runs.create(tid2, "slow", { input: { delayMs: 1 }, multitaskStrategy: "interrupt" });
  await client.runs.join(tid2, interrupting.run_id);
  assert.equal((await client.runs.get(tid2, slow.run_id)).status, "interrupted");
  assert.equal((await client.runs.get(tid2, interrupting.run_id)).status, "success");
  // rollback: the active run is cancelled and deleted
  const tid3 = (await client.threads.create()).thread_id;
  const doomed = await client.runs.create(tid3, "slow", { input: { delayMs: 5000 } });
  const rolling = await client.runs.create(tid3, "slow", { input: { delayMs: 1 }, multitaskStrategy: "rollback" });
  assert.deepEqual((await client.runs.join(tid3, rolling.run_id)).trail, ["first", "second"]);
  await assert.rejects(client.runs.get(tid3, doomed.run_id), (e) => e.status === 404);
  assert.deepEqual((await client.runs.list(tid3)).map((r) => r.run_id), [rolling.run_id]);
}

async function interrupts() {
  const tid = (await client.threads.create()).thread_id;
  const parts = await collect(client.runs.stream(tid, "hitl", { input: { topic: "cats" }, streamMode: "updates" }));
  const interrupt = parts.filter((p) => p.event === "updates" && p.data.__interrupt__).map((p) => p.data.__interrupt__);
  assert.equal(interrupt.length, 1);
  assert.deepEqual(interrupt[0][0].value, { question: "Publish it?" });
  assert.equal((await client.threads.get(tid)).status, "interrupted");
  const state = await client.threads.getState(tid);
  assert.deepEqual(state.next, ["approve"]);
  const result = await client.runs.wait(tid, "hitl", { command: { resume: "yes", update: { topic: "dogs" } } });
  assert.equal(result.published, true);
  assert.equal(result.topic, "dogs");
  assert.equal((await client.threads.get(tid)).status, "idle");
  // Command(goto, update) on a finished thread: runs the named node with the update applied first
  const echoThread = (await client.threads.create()).thread_id;
  await client.runs.wait(echoThread, "echo", { input: { in: "one" } });
  const steered = await client.runs.wait(echoThread, "echo", { command: { goto: "echo", update: { in: "two" } } });
  assert.deepEqual(steered, { in: "two", out: "two!" });
  await assert.rejects(client.runs.wait(echoThread, "echo", { command: { goto: "nowhere" } }),
    (e) => e.status === 422 || /nowhere/.test(String(e)));
}

async function reconnect() {
  const tid = (await client.threads.create()).thread_id;
  const run = await client.runs.create(tid, "slow", { input: { delayMs: 100 }, streamMode: ["values", "updates"], streamResumable: true });
  const full = await collect(client.runs.joinStream(tid, run.run_id, { streamMode: ["values", "updates"] }));
  assert.deepEqual(full.at(-1).data.trail, ["first", "second"]);
  const withIds = full.filter((p) => p.id !== undefined);
  assert.ok(withIds.length >= 4, JSON.stringify(full));
  const rest = await collect(client.runs.joinStream(tid, run.run_id, { streamMode: ["values", "updates"], lastEventId: withIds[2].id }));
  assert.deepEqual(rest.filter((p) => p.event !== "metadata").map((p) => [p.event, p.data]),
    withIds.slice(3).map((p) => [p.event, p.data]));
}

// a thread's stream (GET /threads/{id}/stream): both runs' events, each ended by metadata run_done, then lifecycle
async function threadStream() {
  const tid = (await client.threads.create()).thread_id;
  const controller = new AbortController();
  const parts = [];
  const reading = (async () => {
    try {
      for await (const part of client.threads.joinStream(tid, { signal: controller.signal })) {
        parts.push(part);
        if (parts.filter((p) => p.event === "metadata" && p.data.status === "run_done").length === 2) controller.abort();
      }
    } catch (e) {
      if (!controller.signal.aborted) throw e;
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  const first = await client.runs.create(tid, "slow", { input: { delayMs: 200 }, streamMode: ["values", "custom"] });
  const second = await client.runs.create(tid, "slow", { input: { delayMs: 1 }, multitaskStrategy: "enqueue" });
  await reading;
  const done = parts.filter((p) => p.event === "metadata" && p.data.status === "run_done").map((p) => p.data.run_id);
  assert.deepEqual(done, [first.run_id, second.run_id], JSON.stringify(parts));
  assert.equal(parts[0].data.run_id, first.run_id);
  assert.deepEqual(parts.filter((p) => p.event === "custom").map((p) => p.data.progress), ["first", "second"]);
  const lifecycle = [];
  const stop = new AbortController();
  try {
    for await (const part of client.threads.joinStream(tid, { streamMode: "lifecycle", lastEventId: "-", signal: stop.signal })) {
      lifecycle.push(part);
      if (lifecycle.length === 4) stop.abort();
    }
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  assert.deepEqual(lifecycle.map((p) => p.data.status ?? "started"), ["started", "run_done", "started", "run_done"]);
}

async function errors() {
  await assert.rejects(client.threads.get("00000000-0000-0000-0000-000000000000"), (e) => e.status === 404 || /404/.test(String(e)));
  await assert.rejects(client.runs.wait(null, "nope", { input: {} }), (e) => e.status === 404 && /nope/.test(String(e.text)));
  await assert.rejects(collect(client.runs.stream(null, "echo", { input: {}, streamMode: "sideways" })), (e) => e.status === 422 && /sideways/.test(String(e.text)));
  await assert.rejects(client.runs.create((await client.threads.create()).thread_id, "echo", { input: { in: 1 }, interruptBefore: ["nope"] }), (e) => e.status === 422 && /nope/.test(String(e.text)));
  const failed = await client.runs.wait(null, "boom", { input: {}, raiseError: false });
  assert.match(failed.__error__.message, /node exploded/);
  await assert.rejects(client.runs.wait(null, "boom", { input: {} }), /node exploded/);
  const parts = await collect(client.runs.stream(null, "boom", { input: {}, streamMode: "values" }));
  assert.equal(parts.at(-1).event, "error");
  assert.match(parts.at(-1).data.message, /node exploded/);
}

async function store() {
  const ns = ["sdk", `js-${Date.now()}`];
  await client.store.putItem(ns, "a", { n: 1, tag: "x" });
  await client.store.putItem(ns, "b", { n: 2, tag: "y" });
  await client.store.putItem([...ns, "deep"], "c", { n: 3, tag: "x" });
  const got = await client.store.getItem(ns, "a");
  assert.deepEqual([got.namespace, got.key, got.value], [ns, "a", { n: 1, tag: "x" }]);
  assert.ok(got.created_at && got.updated_at, JSON.stringify(got));
  assert.equal(await client.store.getItem(ns, "missing"), null);
  const found = await client.store.searchItems(ns, { filter: { tag: "x" } });
  assert.deepEqual(found.items.map((i) => i.key).sort(), ["a", "c"]);
  const big = await client.store.searchItems(ns, { filter: { n: { $gte: 2 } }, limit: 1 });
  assert.equal(big.items.length, 1);
  const spaces = await client.store.listNamespaces({ prefix: ns });
  assert.deepEqual(spaces.namespaces.map((n) => n.join("/")).sort(), [ns.join("/"), [...ns, "deep"].join("/")]);
  assert.deepEqual((await client.store.listNamespaces({ prefix: ns, maxDepth: 2 })).namespaces, [ns]);
  await client.store.deleteItem(ns, "a");
  assert.equal(await client.store.getItem(ns, "a"), null);
}

const flows = { assistants, threads, streams, background, interrupts, timetravel, multitask, store, reconnect, threadStream,
  errors };
const only = process.env.SDK_FLOWS ? process.env.SDK_FLOWS.split(",") : Object.keys(flows);
for (const name of only) {
  await Promise.race([flows[name](), new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} timed out`)), 60000).unref())]);
  console.log(`ok ${name}`);
}
