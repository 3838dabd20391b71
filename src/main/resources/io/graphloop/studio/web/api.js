// Graphloop Studio: calls to the server's public HTTP API (LangGraph Server's), and its server-sent events.
// Every call the page makes goes through here, so this file is also a short example of that API.
"use strict";

const Api = (() => {
  let credentials = "";

  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    if (credentials.startsWith("Bearer ")) h["Authorization"] = credentials;
    else if (credentials) h["x-api-key"] = credentials;
    return h;
  }

  async function failure(response) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    return new Error(response.status + ": " + detail);
  }

  async function call(method, path, body) {
    const response = await fetch(path, {method, headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body)});
    if (!response.ok) throw await failure(response);
    return response.status === 204 ? null : response.json();
  }

  // POSTs body to path and hands each server-sent event ({event, data, id}) to onEvent as it arrives.
  // Resolves when the stream ends; abort with signal. Only a line-based parser: EventSource cannot POST.
  async function stream(path, body, onEvent, signal) {
    const response = await fetch(path, {method: "POST", headers: headers(true), body: JSON.stringify(body), signal});
    if (!response.ok) throw await failure(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true}).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = {event: "message", data: "", id: null};
        const data = [];
        for (const line of frame.split("\n")) {
          if (line.startsWith(":")) continue;                  // heartbeat
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event.event = text;
          else if (field === "data") data.push(text);
          else if (field === "id") event.id = text;
        }
        if (data.length === 0) continue;
        try { event.data = JSON.parse(data.join("\n")); } catch (e) { event.data = data.join("\n"); }
        onEvent(event);
      }
    }
  }

  const enc = encodeURIComponent;
  return {
    setCredentials(value) { credentials = (value || "").trim(); },
    assistants: () => call("POST", "/assistants/search", {limit: 1000}),
    graph: (assistantId, xray) => call("GET", "/assistants/" + enc(assistantId) + "/graph" + (xray ? "?xray=true" : "")),
    schemas: (assistantId) => call("GET", "/assistants/" + enc(assistantId) + "/schemas"),
    createThread: () => call("POST", "/threads", {}),
    searchThreads: (graphId, limit, offset) => call("POST", "/threads/search",
      {metadata: {graph_id: graphId}, limit, offset, sort_by: "updated_at", sort_order: "desc"}),
    countThreads: (graphId) => call("POST", "/threads/count", {metadata: {graph_id: graphId}}),
    thread: (threadId) => call("GET", "/threads/" + enc(threadId)),
    history: (threadId, limit, before) => call("POST", "/threads/" + enc(threadId) + "/history",
      before ? {limit, before} : {limit}),
    updateState: (threadId, values, checkpointId) => call("POST", "/threads/" + enc(threadId) + "/state",
      {values, checkpoint_id: checkpointId}),
    cancel: (threadId, runId) => call("POST", "/threads/" + enc(threadId) + "/runs/" + enc(runId) + "/cancel"),
    streamRun: (threadId, body, onEvent, signal) =>
      stream("/threads/" + enc(threadId) + "/runs/stream", body, onEvent, signal),
  };
})();
