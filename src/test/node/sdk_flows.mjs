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
  assert.ok(["interrupted", "error"].includes((await client.runs.get(tid, long.run_id)).status));
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

async function errors() {
  await assert.rejects(client.threads.get("00000000-0000-0000-0000-000000000000"), (e) => e.status === 404 || /404/.test(String(e)));
  const parts = await collect(client.runs.stream(null, "boom", { input: {}, streamMode: "values" }));
  assert.equal(parts.at(-1).event, "error");
  assert.match(parts.at(-1).data.message, /node exploded/);
}

const flows = { assistants, threads, streams, background, interrupts, reconnect, errors };
const only = process.env.SDK_FLOWS ? process.env.SDK_FLOWS.split(",") : Object.keys(flows);
for (const name of only) {
  await Promise.race([flows[name](), new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} timed out`)), 60000).unref())]);
  console.log(`ok ${name}`);
}
