// Graphloop Studio: the graph's threads (one page at a time, with their count), a thread's history as a timeline
// of checkpoints (one page at a time, paged with 'before'), and one checkpoint's state: edit it and fork (POST /threads/{id}/state with checkpoint_id), or replay
// from it (a run with checkpoint_id and no input).
"use strict";

const Threads = (() => {
  const PAGE = 20;             // threads per page, checkpoints per page
  const $ = id => document.getElementById(id);
  let graphId = null;
  let threadPage = 0;          // the threads page shown, from 0 (newest first)
  let threadId = null;
  let cursors = [null];        // 'before' of each history page seen so far; the last is the page shown
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

  // One page of the graph's threads (offset paging, one more asked to know whether a next page exists) and
  // how many there are (POST /threads/count).
  async function loadThreads(page) {
    const wanted = Math.max(0, page);
    const [found, total] = await Promise.all([Api.searchThreads(graphId, PAGE + 1, wanted * PAGE),
      Api.countThreads(graphId)]);
    threadPage = wanted;
    const shown = found.slice(0, PAGE);
    $("threads").innerHTML = "";
    for (const thread of shown) {
      item($("threads"), thread.thread_id + " · " + thread.status + " · " + thread.updated_at,
        () => open(thread.thread_id), {threadId: thread.thread_id, status: thread.status});
    }
    const first = wanted * PAGE + 1;
    $("threads-page").textContent = shown.length === 0 ? "no threads" : "page " + (wanted + 1) + " · threads " + first
      + "–" + (first + shown.length - 1) + " of " + total;
    $("threads-prev").disabled = wanted === 0;
    $("threads-next").disabled = found.length <= PAGE;
  }

  async function open(id) {
    threadId = id;
    cursors = [null];
    $("history-thread").textContent = id;
    $("checkpoint").hidden = true;
    onOpen(id);
    await loadHistory();
  }

  // The history page that starts before cursors' last entry (null: the newest), newest first.
  async function loadHistory() {
    const before = cursors[cursors.length - 1];
    const states = await Api.history(threadId, PAGE + 1, before);
    const shown = states.slice(0, PAGE);
    loaded = new Map();
    $("history").innerHTML = "";
    for (const state of shown) {
      loaded.set(state.checkpoint_id, state);
      const meta = state.metadata || {};
      const wrote = Array.isArray(meta.ran) ? meta.ran.join(", ") : meta.source || "";
      const next = (state.next || []).length ? " → next: " + state.next.join(", ") : "";
      item($("history"), "step " + meta.step + " · " + wrote + next, () => show(state),
        {checkpointId: state.checkpoint_id, step: String(meta.step)});
    }
    $("history-page").textContent = "page " + cursors.length + " · " + shown.length + " checkpoints";
    $("history-pager").hidden = cursors.length === 1 && states.length <= PAGE;
    $("history-newer").disabled = cursors.length === 1;
    $("history-older").disabled = states.length <= PAGE;
    $("history-older").dataset.before = shown.length ? shown[shown.length - 1].checkpoint_id : "";
  }

  function older() {
    cursors.push($("history-older").dataset.before);
    return loadHistory();
  }

  function newer() {
    if (cursors.length > 1) cursors.pop();
    return loadHistory();
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
      $("threads-prev").addEventListener("click", () => loadThreads(threadPage - 1));
      $("threads-next").addEventListener("click", () => loadThreads(threadPage + 1));
      $("refresh-threads").addEventListener("click", () => loadThreads(0));
      $("history-older").addEventListener("click", older);
      $("history-newer").addEventListener("click", newer);
      $("fork").addEventListener("click", fork);
      $("replay").addEventListener("click", () => onReplay(threadId, checkpoint.checkpoint_id));
    },
    async show(graph) {
      graphId = graph;
      threadId = null;
      $("history").innerHTML = "";
      $("history-pager").hidden = true;
      await loadThreads(0);
    },
    refresh: () => loadThreads(0),
    reopen: () => threadId ? open(threadId) : Promise.resolve(),
    open,
  };
})();
