// Graphloop Studio: one live run. Streams POST /threads/{id}/runs/stream and shows, as events arrive, which node
// runs now (tasks), what each step wrote (updates), custom events, a chat model's tokens (messages-tuple) and custom
// "token" fields, the state (values), errors on the node that failed, and an interrupt's payload with a form to resume.
"use strict";

const Live = (() => {
  const MAX_EVENTS = 2000;     // the list keeps the latest this many events, so a long run stays usable
  const $ = id => document.getElementById(id);
  let controller = null;
  let current = null;          // {threadId, runId}
  let onEnd = () => {};
  let lastMessageId = null;    // the message whose tokens were appended last

  function status(text) {
    const element = $("run-status");
    element.textContent = text;
    element.dataset.status = text;
  }

  function addEvent(kind, title, data) {
    const list = $("events");
    const item = document.createElement("li");
    item.className = "event";
    item.dataset.kind = kind;
    const head = document.createElement("b");
    head.textContent = title;
    item.appendChild(head);
    if (data !== undefined) {
      const body = document.createElement("code");
      body.textContent = " " + JSON.stringify(data);
      item.appendChild(body);
    }
    list.appendChild(item);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.firstChild);
    item.scrollIntoView({block: "nearest"});
  }

  // A task's start or result, at its step. Task ids are digests (as LangGraph's), so the step comes from the debug
  // stream's task events, which carry it; start() asks for debug whenever tasks is asked for.
  function onTask(task, step) {
    if ("result" in task || "error" in task) {
      const interrupted = Array.isArray(task.interrupts) && task.interrupts.length > 0;
      const error = task.error ? (typeof task.error === "string" ? task.error : JSON.stringify(task.error)) : null;
      Drawing.mark(task.name, error ? "error" : interrupted ? "interrupted" : "done", error);
      if (task.error) addEvent("error", "step " + step + " · " + task.name + " failed", task.error);
    } else {
      Drawing.mark(task.name, "running");
      addEvent("task", "step " + step + " · " + task.name + " started");
    }
  }

  function showInterrupt(interrupts) {
    $("interrupt").hidden = false;
    $("interrupt-payload").textContent = JSON.stringify(interrupts.map(i => i.value), null, 2);
    $("resume-value").focus();
  }

  function textOf(content) {      // a message's text: a string, or its text blocks
    if (typeof content === "string") return content;
    if (!Array.isArray(content)) return "";
    return content.filter(b => b && b.type === "text" && typeof b.text === "string").map(b => b.text).join("");
  }

  // A chat model's tokens are appended as they stream (a new line for each new message); its tool calls and the
  // tools' answers are listed as events. Only what a model says goes into the text, never a tool's answer.
  function onMessage(message, metadata) {
    if (!message || typeof message !== "object") return;
    const where = "step " + (metadata.langgraph_step ?? "?") + " · " + (metadata.langgraph_node || "?");
    if (message.type === "AIMessageChunk" || message.type === "ai") {
      const text = textOf(message.content);
      if (text) {
        const tokens = $("tokens");
        if (lastMessageId !== null && message.id !== lastMessageId && tokens.textContent) tokens.textContent += "\n";
        lastMessageId = message.id;
        tokens.textContent += text;
      }
      const calls = (message.tool_call_chunks && message.tool_call_chunks.length ? message.tool_call_chunks
        : message.tool_calls) || [];
      for (const call of calls) {
        if (call.name) addEvent("tool-call", where + " calls " + call.name);
      }
    } else if (message.type === "tool") {
      addEvent("tool", where + " · " + (message.name || "tool") + " answered", textOf(message.content));
    }
  }

  function onEvent(event) {
    const data = event.data;
    const kind = event.event.split("|")[0];
    switch (kind) {
      case "metadata":
        current.runId = data.run_id;
        addEvent("metadata", "run " + data.run_id);
        break;
      case "tasks":         // the same task events come with their step in the debug stream (start() asked for it)
        if (!current.tasksFromDebug) onTask(data || {}, "?");
        break;
      case "debug":
        if (current.tasksFromDebug && data && (data.type === "task" || data.type === "task_result")) {
          onTask(data.payload || {}, data.step ?? "?");
        }
        if (current.showDebug) addEvent(kind, kind, data);
        break;
      case "updates":
        for (const [node, update] of Object.entries(data || {})) {
          if (node === "__interrupt__") {
            showInterrupt(update);
            addEvent("interrupt", "waiting for a person", update.map(i => i.value));
          } else {
            addEvent("update", node + " wrote", update);
          }
        }
        break;
      case "custom":
        if (data && typeof data.token === "string") $("tokens").textContent += data.token;
        addEvent("custom", "custom", data);
        break;
      case "messages":      // messages-tuple: [message chunk, metadata] as a chat model streams it in a node
        onMessage(Array.isArray(data) ? data[0] : null, Array.isArray(data) ? data[1] || {} : {});
        break;
      case "values":
        $("final-state").textContent = JSON.stringify(data, null, 2);
        break;
      case "error":
        status("error");
        addEvent("error", "run failed", data);
        break;
      default:
        addEvent(kind, kind, data);
    }
  }

  // Starts a run on threadId with body (assistant_id, input or command, config, stream_mode ...).
  async function start(threadId, body, ended) {
    if (controller) controller.abort();
    controller = new AbortController();
    const modes = Array.isArray(body.stream_mode) ? body.stream_mode : [];
    const showDebug = modes.includes("debug");
    const tasksFromDebug = modes.includes("tasks");
    if (tasksFromDebug && !showDebug) body = Object.assign({}, body, {stream_mode: modes.concat("debug")});
    current = {threadId, runId: null, tasksFromDebug, showDebug};
    onEnd = ended || (() => {});
    $("events").innerHTML = "";
    $("tokens").textContent = "";
    lastMessageId = null;
    $("interrupt").hidden = true;
    $("cancel").disabled = false;
    Drawing.clear();
    status("running");
    const mine = controller;
    try {
      await Api.streamRun(threadId, body, onEvent, mine.signal);
      if ($("run-status").dataset.status === "running") {
        const thread = await Api.thread(threadId);
        status(thread.status === "interrupted" || !$("interrupt").hidden ? "interrupted" : thread.status === "error"
          ? "error" : "success");
      }
    } catch (e) {
      if (e.name !== "AbortError") {
        status("error");
        addEvent("error", "stream failed", String(e.message || e));
      } else {
        status("cancelled");
      }
    } finally {
      if (controller === mine) {
        controller = null;
        $("cancel").disabled = true;
      }
      onEnd(threadId);
    }
  }

  async function cancel() {
    if (current && current.runId) {
      try { await Api.cancel(current.threadId, current.runId); } catch (e) { addEvent("error", "cancel failed", e.message); }
    }
    if (controller) controller.abort();
  }

  return {start, cancel, current: () => current};
})();
