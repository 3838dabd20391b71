// Sends the same requests to Graphloop's serve and to LangGraph's JS reference server (langgraphjs dev) over the
// same graphs (src/graphs.mjs = io.graphloop.server.SdkGraphs) and compares the answers' shapes: status codes,
// content types, JSON keys and value types (recursively; arrays by their elements), SSE event names in order and
// each event's data shape. Values themselves (ids, timestamps, texts) are not compared.
// Usage: [PROBES=regex] node conformance.mjs GRAPHLOOP_URL REFERENCE_URL [--all]
// Prints "same <probe>" or "diff <probe>: ..." per probe; differences listed in known-differences.json (each with
// its reason, also in src/docs/server-differences.md) are printed as "known"; exits 1 when any other remains.
import { readFileSync } from "node:fs";

const [ours, theirs] = process.argv.slice(2);
const known = JSON.parse(readFileSync(new URL("./known-differences.json", import.meta.url)));

async function call(base, method, path, body, headers = {}) {
  const response = await fetch(base + path, {
    method, headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120000),
  });
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  let json;
  let events;
  if (type.startsWith("text/event-stream")) {
    events = [];
    for (const block of text.split(/\r?\n\r?\n/)) {
      let event = null;
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (event !== null || data.length) events.push({ event: event ?? "message", data: data.length ? JSON.parse(data.join("\n")) : null });
    }
  } else {
    try { json = text.length ? JSON.parse(text) : undefined; } catch { json = text; }
  }
  return { status: response.status, type: type.split(";")[0].trim(), json, events };
}

/** The shape of a JSON value: type names, with keys for objects and the merged element shape for arrays. */
function shape(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length ? [merge(value.map(shape))] : [];
  if (typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = shape(value[key]);
    return out;
  }
  return typeof value;
}

function merge(shapes) {
  return shapes.reduce((a, b) => (JSON.stringify(a).length >= JSON.stringify(b).length ? a : b));
}

/** Differences between two shapes, as "path: ours vs theirs" lines. */
function compare(a, b, path, out) {
  const kind = (s) => (Array.isArray(s) ? "array" : typeof s === "object" ? "object" : s);
  if (kind(a) !== kind(b)) {
    // null vs a type is a difference of value, not of shape, when the other side may be null too
    if (a === "null" || b === "null") return;
    out.push(`${path}: ${kind(a)} vs ${kind(b)}`);
    return;
  }
  if (kind(a) === "array") {
    if (a.length && b.length) compare(a[0], b[0], `${path}[]`, out);
    return;
  }
  if (kind(a) === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in b)) out.push(`${path}.${key}: only ours`);
      else if (!(key in a)) out.push(`${path}.${key}: only theirs`);
      else compare(a[key], b[key], `${path}.${key}`, out);
    }
  }
}

function differences(a, b) {
  const out = [];
  if (a.status !== b.status) out.push(`status: ${a.status} vs ${b.status}`);
  if (a.type !== b.type && a.status < 400) out.push(`content-type: ${a.type} vs ${b.type}`);
  if (a.events || b.events) {
    const names = (r) => (r.events ?? []).map((e) => e.event).join(",");
    if (names(a) !== names(b)) out.push(`events: ${names(a)} vs ${names(b)}`);
    const byName = (r) => Object.fromEntries((r.events ?? []).map((e) => [e.event, shape(e.data)]));
    const sa = byName(a);
    const sb = byName(b);
    for (const name of Object.keys(sa)) if (name in sb) compare(sa[name], sb[name], `event ${name}`, out);
  } else if (a.status < 400 && b.status < 400) {
    compare(shape(a.json), shape(b.json), "body", out);
  }
  return out;
}

/** Each probe runs against one server with its own ids and returns the answer to compare. */
const probes = {
  "GET /ok": (c) => c("GET", "/ok"),
  "GET /info": (c) => c("GET", "/info"),
  "POST /assistants/search": (c) => c("POST", "/assistants/search", { limit: 10, metadata: { created_by: "system" } }),
  "GET /assistants/{graph}": (c) => c("GET", "/assistants/echo"),
  "GET /assistants/{id}/graph": (c) => c("GET", "/assistants/hitl/graph"),
  "GET /assistants/{id}/graph?xray": (c) => c("GET", "/assistants/hitl/graph?xray=true"),
  "GET /assistants/{id}/schemas": (c) => c("GET", "/assistants/slow/schemas"),
  "POST /assistants": (c) => c("POST", "/assistants", { graph_id: "echo", name: "mine", metadata: { k: 1 } }),
  "PATCH /assistants/{id}": async (c) => {
    const id = (await c("POST", "/assistants", { graph_id: "echo" })).json.assistant_id;
    return c("PATCH", `/assistants/${id}`, { name: "renamed" });
  },
  "POST /assistants/{id}/versions": async (c) => {
    const id = (await c("POST", "/assistants", { graph_id: "echo" })).json.assistant_id;
    await c("PATCH", `/assistants/${id}`, { name: "renamed" });
    return c("POST", `/assistants/${id}/versions`, {});
  },
  "DELETE /assistants/{id}": async (c) => {
    const id = (await c("POST", "/assistants", { graph_id: "echo" })).json.assistant_id;
    return c("DELETE", `/assistants/${id}`);
  },
  "POST /threads": (c) => c("POST", "/threads", { metadata: { owner: "c" } }),
  "POST /threads if_exists raise": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("POST", "/threads", { thread_id: id });
  },
  "GET /threads/{id} after a run": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    return c("GET", `/threads/${id}`);
  },
  "POST /threads/{id}/runs/wait": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
  },
  "GET /threads/{id}/state": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    return c("GET", `/threads/${id}/state`);
  },
  "POST /threads/{id}/history": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    return c("POST", `/threads/${id}/history`, { limit: 10 });
  },
  "POST /threads/{id}/state": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    return c("POST", `/threads/${id}/state`, { values: { out: "edited" }, as_node: "echo" });
  },
  "PATCH /threads/{id}": async (c) => {
    const id = (await c("POST", "/threads", { metadata: { a: 1 } })).json.thread_id;
    return c("PATCH", `/threads/${id}`, { metadata: { b: 2 } });
  },
  "DELETE /threads/{id}": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("DELETE", `/threads/${id}`);
  },
  "POST /threads/search": (c) => c("POST", "/threads/search", { metadata: { owner: "c" }, limit: 5 }),
  "POST /threads/{id}/copy": async (c) => {
    const id = (await c("POST", "/threads", { metadata: { a: 1 } })).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    return c("POST", `/threads/${id}/copy`, {});
  },
  "copy's history": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "hi" } });
    const copy = (await c("POST", `/threads/${id}/copy`, {})).json.thread_id;
    const history = await c("POST", `/threads/${copy}/history`, { limit: 10 });
    const original = await c("POST", `/threads/${id}/history`, { limit: 10 });
    const same = JSON.stringify(history.json.map((s) => s.checkpoint.checkpoint_id))
      === JSON.stringify(original.json.map((s) => s.checkpoint.checkpoint_id));
    const renamed = history.json.every((s) => s.checkpoint.thread_id === copy && s.metadata.thread_id === copy);
    // shapes compare keys, not values: the facts are keys here, so a different fact is a difference
    return { status: history.status, type: history.type, json: { [`sameIds_${same}`]: 1, [`renamed_${renamed}`]: 1, [`length_${history.json.length}`]: 1 } };
  },
};
for (const modes of [["values", "updates"], ["debug"], ["tasks"], ["custom"], ["checkpoints"], ["events"]]) {
  probes[`stream ${modes.join("+")}`] = async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("POST", `/threads/${id}/runs/stream`, { assistant_id: "slow", input: { delayMs: 1 }, stream_mode: modes });
  };
}
Object.assign(probes, {
  "stream stateless values": (c) => c("POST", "/runs/stream", { assistant_id: "echo", input: { in: "s" }, stream_mode: ["values"] }),
  "stream interrupt updates": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("POST", `/threads/${id}/runs/stream`, { assistant_id: "hitl", input: { topic: "t" }, stream_mode: ["updates"] });
  },
  "GET /threads/{id}/state interrupted": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "hitl", input: { topic: "t" } });
    return c("GET", `/threads/${id}/state`);
  },
  "GET /threads/{id} interrupted": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "hitl", input: { topic: "t" } });
    return c("GET", `/threads/${id}`);
  },
  "runs/wait resume": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "hitl", input: { topic: "t" } });
    return c("POST", `/threads/${id}/runs/wait`, { assistant_id: "hitl", command: { resume: "yes" } });
  },
  "POST /threads/{id}/runs": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    return c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 50 } });
  },
  "GET /threads/{id}/runs/{run} + join + list": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    const run = (await c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 1 } })).json.run_id;
    const joined = await c("GET", `/threads/${id}/runs/${run}/join`);
    const got = await c("GET", `/threads/${id}/runs/${run}`);
    const list = await c("GET", `/threads/${id}/runs`);
    return { status: joined.status + got.status + list.status, type: got.type, json: { joined: joined.json, got: got.json, list: list.json } };
  },
  "cancel a running run": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    const run = (await c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 3000 } })).json.run_id;
    await new Promise((r) => setTimeout(r, 200));
    const cancel = await c("POST", `/threads/${id}/runs/${run}/cancel?wait=1`);
    const after = await c("GET", `/threads/${id}/runs/${run}`);
    return { status: cancel.status, type: after.type, json: { status_after: after.json?.status } };
  },
  "POST /runs/cancel": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    const run = (await c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 3000 } })).json.run_id;
    const cancel = await c("POST", "/runs/cancel", { thread_id: id, run_ids: [run] });
    await c("POST", `/threads/${id}/runs/${run}/cancel?wait=1`);
    return cancel;
  },
  "GET /threads/{id}/runs?status": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs/wait`, { assistant_id: "echo", input: { in: "a" } });
    return c("GET", `/threads/${id}/runs?status=success&limit=5`);
  },
  "busy thread, multitask reject": async (c) => {
    const id = (await c("POST", "/threads", {})).json.thread_id;
    await c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 1000 } });
    return c("POST", `/threads/${id}/runs`, { assistant_id: "slow", input: { delayMs: 1 }, multitask_strategy: "reject" });
  },
  "stream error": (c) => c("POST", "/runs/stream", { assistant_id: "boom", input: {}, stream_mode: ["values"] }),
  "runs/wait error": (c) => c("POST", "/runs/wait", { assistant_id: "boom", input: {} }),
  "unknown thread 404": (c) => c("GET", "/threads/00000000-0000-0000-0000-000000000000"),
  "unknown assistant 404": (c) => c("POST", "/runs/wait", { assistant_id: "00000000-0000-0000-0000-000000000000", input: {} }),
  "bad stream_mode 422": (c) => c("POST", "/runs/stream", { assistant_id: "echo", input: {}, stream_mode: ["sideways"] }),
  "PUT /store/items": (c) => c("PUT", "/store/items", { namespace: ["a"], key: "k", value: { v: 1 } }),
  "GET /store/items": async (c) => {
    await c("PUT", "/store/items", { namespace: ["c", "d"], key: "k", value: { v: 1 } });
    return c("GET", "/store/items?namespace=c.d&key=k");
  },
  "GET /store/items missing": (c) => c("GET", "/store/items?namespace=c.d&key=nothing"),
  "POST /store/items/search": async (c) => {
    await c("PUT", "/store/items", { namespace: ["s", "t"], key: "k", value: { v: 2, tag: "x" } });
    return c("POST", "/store/items/search", { namespace_prefix: ["s"], filter: { tag: "x" }, limit: 5 });
  },
  "POST /store/namespaces": async (c) => {
    await c("PUT", "/store/items", { namespace: ["n", "m"], key: "k", value: { v: 3 } });
    return c("POST", "/store/namespaces", { prefix: ["n"], max_depth: 2 });
  },
  "DELETE /store/items": async (c) => {
    await c("PUT", "/store/items", { namespace: ["x"], key: "k", value: { v: 4 } });
    return c("DELETE", "/store/items", { namespace: ["x"], key: "k" });
  },
});

let unexpected = 0;
// PROBES=<regex> (environment) runs only the probes whose names match it
const only = process.env.PROBES ? new RegExp(process.env.PROBES) : null;
for (const [name, probe] of Object.entries(probes).filter(([name]) => !only || only.test(name))) {
  const [a, b] = await Promise.all([probe((...args) => call(ours, ...args)), probe((...args) => call(theirs, ...args))]);
  const found = differences(a, b);
  const expected = known[name] ?? [];
  const rest = found.filter((d) => !expected.some((k) => d.startsWith(k)));
  const knownHere = found.filter((d) => !rest.includes(d));
  if (!found.length) console.log(`same ${name}`);
  for (const d of knownHere) console.log(`known ${name}: ${d}`);
  for (const d of rest) console.log(`diff ${name}: ${d}`);
  unexpected += rest.length;
}
console.log(`${unexpected} unexpected difference(s)`);
process.exit(unexpected ? 1 : 0);
