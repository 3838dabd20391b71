// Graphloop Studio: the graph's threads (paged), a thread's history as a timeline of checkpoints (paged with
// 'before'), and one checkpoint's state: edit it and fork (POST /threads/{id}/state with checkpoint_id), or replay
// from it (a run with checkpoint_id and no input).
"use strict";

const Threads = (() => {
  const PAGE = 20;
  const $ = id => document.getElementById(id);
  let graphId = null;
  let offset = 0;
  let threadId = null;
  let oldest = null;
  let checkpoint = null;
  let loaded = new Map();      // checkpoint id -> its state, for the history shown
  let onOpen = () => {};
  let onReplay = () => {};

  function item(list, text, onClick, dataset) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.addEventListener("click", onClick);
    Object.assign(li.dataset, dataset);
    li.appendChild(button);
    list.appendChild(li);
    return li;
  }

  async function loadThreads(reset) {
    if (reset) { offset = 0; $("threads").innerHTML = ""; }
    const page = await Api.searchThreads(graphId, PAGE, offset);
    offset += page.length;
    for (const thread of page) {
      item($("threads"), thread.thread_id + " · " + thread.status + " · " + thread.updated_at,
        () => open(thread.thread_id), {threadId: thread.thread_id, status: thread.status});
    }
    $("more-threads").hidden = page.length < PAGE;
  }

  async function open(id) {
    threadId = id;
    oldest = null;
    loaded = new Map();
    $("history").innerHTML = "";
    $("history-thread").textContent = id;
    $("checkpoint").hidden = true;
    onOpen(id);
    await loadHistory();
  }

  async function loadHistory() {
    const states = await Api.history(threadId, PAGE, oldest);
    for (const state of states) {
      loaded.set(state.checkpoint_id, state);
      const meta = state.metadata || {};
      const wrote = Array.isArray(meta.ran) ? meta.ran.join(", ") : meta.source || "";
      const next = (state.next || []).length ? " → next: " + state.next.join(", ") : "";
      item($("history"), "step " + meta.step + " · " + wrote + next, () => show(state),
        {checkpointId: state.checkpoint_id, step: String(meta.step)});
      oldest = state.checkpoint_id;
    }
    $("older-checkpoints").hidden = states.length < PAGE;
  }

  function show(state) {
    checkpoint = state;
    $("checkpoint").hidden = false;
    $("checkpoint-id").textContent = state.checkpoint_id;
    $("checkpoint-state").value = JSON.stringify(state.values, null, 2);
    $("checkpoint-message").textContent = "";
  }

  async function fork() {
    let values;
    try { values = JSON.parse($("checkpoint-state").value); } catch (e) {
      $("checkpoint-message").textContent = "The state is not valid JSON: " + e.message;
      return;
    }
    try {
      const result = await Api.updateState(threadId, values, checkpoint.checkpoint_id);
      const forked = result.checkpoint.checkpoint_id;
      await open(threadId);
      if (loaded.has(forked)) show(loaded.get(forked));    // the fork, ready to replay
      $("checkpoint-message").textContent = "forked: new checkpoint " + forked;
    } catch (e) {
      $("checkpoint-message").textContent = "Fork failed: " + e.message;
    }
  }

  return {
    init(handlers) {
      onOpen = handlers.onOpen;
      onReplay = handlers.onReplay;
      $("more-threads").addEventListener("click", () => loadThreads(false));
      $("refresh-threads").addEventListener("click", () => loadThreads(true));
      $("older-checkpoints").addEventListener("click", loadHistory);
      $("fork").addEventListener("click", fork);
      $("replay").addEventListener("click", () => onReplay(threadId, checkpoint.checkpoint_id));
    },
    async show(graph) { graphId = graph; threadId = null; $("history").innerHTML = ""; await loadThreads(true); },
    refresh: () => loadThreads(true),
    reopen: () => threadId ? open(threadId) : Promise.resolve(),
    open,
  };
})();
