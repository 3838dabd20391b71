// Streams the tokens of Graphloop's ReAct agent (graph 'agent': io.graphloop.examples.AgentExample, tools add and
// multiply) with LangGraph's real JS SDK (@langchain/langgraph-sdk 1.15.0), stream_mode "messages-tuple"; run by
// io.graphloop.server.JsAgentServeIT against `serve --graphs agent` whose model is FakeChatServer (OpenAI's streaming
// wire format over HTTP on 127.0.0.1). FakeChatServer answers "What is 6 times 7?" with a streamed call
// multiply(6, 7), then, after the tool's answer, "The answer is 42." one word per chunk; it echoes any other question
// as "You said: <question>", one word per chunk.
// Usage: node sdk_agent.mjs BASE_URL ECHO_QUESTION
// Prints "ok <flow>" per flow that passed and, for the Java side, "tool <json>" (the streamed tool call and the
// tool's answer) and "tokens <json list>" (every text chunk of the echo answer, in the order received); exits 1
// with the failing assertion otherwise.
import assert from "node:assert/strict";
import { Client } from "@langchain/langgraph-sdk";

const [base, echoQuestion] = process.argv.slice(2);
const client = new Client({ apiUrl: base, timeoutMs: 60000 });

async function collect(iterable) {
  const parts = [];
  for await (const part of iterable) parts.push(part);
  return parts;
}

function human(text) {
  return { messages: [{ type: "human", content: text }] };
}

/** The parts of a messages-tuple stream: metadata first, then [message, metadata] per 'messages' event. */
function tuples(parts, tid) {
  assert.equal(parts[0].event, "metadata", JSON.stringify(parts[0]));
  const others = parts.filter((p) => p.event !== "metadata" && p.event !== "messages").map((p) => p.event);
  assert.deepEqual(others, [], "only metadata and messages events");
  const messages = parts.filter((p) => p.event === "messages").map((p) => p.data);
  for (const m of messages) {
    assert.ok(Array.isArray(m) && m.length === 2, `a [message, metadata] tuple: ${JSON.stringify(m)}`);
    if (tid) assert.equal(m[1].thread_id, tid, "metadata names the thread");
  }
  return messages;
}

async function toolCall() {
  const tid = (await client.threads.create()).thread_id;
  const parts = await collect(client.runs.stream(tid, "agent", { input: human("What is 6 times 7?"),
    streamMode: "messages-tuple" }));
  const messages = tuples(parts, tid);
  const chunks = messages.filter(([m]) => m.type === "AIMessageChunk");
  assert.ok(chunks.every(([, meta]) => meta.langgraph_node === "agent"), "chunks come from node 'agent'");
  const ids = [...new Set(chunks.map(([m]) => m.id))];
  assert.equal(ids.length, 2, `two streamed answers (the tool call, the final answer): ${ids}`);
  const steps = [...new Set(chunks.map(([, meta]) => meta.langgraph_step))];
  assert.deepEqual(steps, [1, 3], "the answers at steps 1 and 3 (tools at 2)");
  const callChunks = chunks.filter(([m]) => m.id === ids[0]).flatMap(([m]) => m.tool_call_chunks ?? []);
  const names = callChunks.filter((c) => c.name).map((c) => c.name);
  const args = callChunks.map((c) => c.args ?? "").join("");
  assert.deepEqual(names, ["multiply"], "one streamed call of multiply");
  assert.ok(callChunks.length >= 2, `the call streamed in fragments: ${JSON.stringify(callChunks)}`);
  assert.deepEqual(JSON.parse(args), { a: 6, b: 7 }, `the call's arguments, assembled from fragments: ${args}`);
  const tools = messages.filter(([m]) => m.type === "tool");
  assert.equal(tools.length, 1, JSON.stringify(tools));
  const [toolMessage, toolMeta] = tools[0];
  assert.equal(toolMeta.langgraph_node, "tools");
  assert.equal(toolMessage.content, "42");
  assert.equal(toolMessage.tool_call_id, callChunks.find((c) => c.id).id, "the answer names the streamed call");
  const tokens = chunks.filter(([m]) => m.id === ids[1] && m.content).map(([m]) => m.content);
  assert.deepEqual(tokens, ["The ", "answer ", "is ", "42."], "the final answer, one chunk per word");
  const state = await client.threads.getState(tid);
  const last = state.values.messages.at(-1);
  assert.equal(last.type, "ai");
  assert.equal(last.content, "The answer is 42.");
  const call = state.values.messages.find((m) => m.type === "ai" && m.tool_calls?.length).tool_calls[0];
  console.log("tool " + JSON.stringify({ name: call.name, args: call.args, answer: toolMessage.content }));
  console.log("ok toolcall");
}

async function everyToken() {
  const parts = await collect(client.runs.stream(null, "agent", { input: human(echoQuestion),
    streamMode: "messages-tuple" }));
  const messages = tuples(parts, null);
  const chunks = messages.filter(([m]) => m.type === "AIMessageChunk");
  assert.equal(new Set(chunks.map(([m]) => m.id)).size, 1, "one answer, no tool call");
  assert.ok(chunks.every(([, meta]) => meta.langgraph_node === "agent" && meta.langgraph_step === 1), "step 1, agent");
  console.log("tokens " + JSON.stringify(chunks.map(([m]) => m.content).filter((c) => c)));
  console.log("ok tokens");
}

try {
  await toolCall();
  await everyToken();
} catch (e) {
  console.error(e);
  process.exit(1);
}
