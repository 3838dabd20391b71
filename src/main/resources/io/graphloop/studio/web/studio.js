// Graphloop Studio: the page's wiring. Picks a graph (?graph=NAME preselects one), draws it, fills the run form
// from the graph's input schema, starts runs and resumes interrupted ones, and opens threads.
"use strict";

(() => {
  const $ = id => document.getElementById(id);
  let graph = null;          // the selected graph's JSON (nodes, edges)

  function error(id, message) { $(id).textContent = message || ""; }

  function parse(id, what) {
    const text = $(id).value.trim();
    if (text === "") return {};
    try { return JSON.parse(text); } catch (e) { throw new Error(what + " is not valid JSON: " + e.message); }
  }

  function modes() {
    return [...document.querySelectorAll("#stream-modes input:checked")].map(input => input.value);
  }

  // An input prefilled from the graph's input schema (GET /assistants/{id}/schemas): each property as an empty value
  // of its type ("" 0 false [] {}), its default when it has one, its first enum value; a nested record ($ref into
  // $defs) as an object of its own properties (3 levels deep at most); a property of any type as null.
  function example(schema) {
    const defs = (schema && schema.$defs) || {};
    const value = (property, depth) => {
      if (!property || typeof property !== "object") return null;
      if ("default" in property) return property.default;
      if (Array.isArray(property.enum) && property.enum.length) return property.enum[0];
      if (property.$ref) {
        const target = defs[property.$ref.replace("#/$defs/", "")];
        return depth < 3 && target ? value(target, depth + 1) : {};
      }
      const options = property.anyOf || property.oneOf;
      if (Array.isArray(options)) return value(options.find(o => o.type !== "null") || options[0], depth);
      const type = Array.isArray(property.type) ? property.type.find(t => t !== "null") : property.type;
      if (type === "object" && property.properties) {
        const object = {};
        for (const [key, inner] of Object.entries(property.properties)) object[key] = value(inner, depth + 1);
        return object;
      }
      return type === "string" ? "" : type === "integer" || type === "number" ? 0 : type === "boolean" ? false
        : type === "array" ? [] : type === "object" ? {} : null;
    };
    const input = {};
    for (const [key, property] of Object.entries((schema && schema.properties) || {})) input[key] = value(property, 0);
    return input;
  }

  // The node's Graphloop options (GET /assistants/{id}/graph puts them under each node's metadata.graphloop) as
  // rows: [key, label, text].
  function optionRows(options) {
    const rows = [["kind", "kind", options.kind + (options.subgraph ? " (graph " + options.subgraph + ")" : "")]];
    rows.push(["timeout", "timeout", options.timeoutMs ? options.timeoutMs + " ms" : "the deployment's default"]);
    const retry = options.retry || {};
    rows.push(["retry", "retry policy", !retry.maxAttempts || retry.maxAttempts <= 1 ? "none (1 attempt)"
      : retry.maxAttempts + " attempts, first wait " + retry.initialIntervalMs + " ms, backoff x" + retry.backoffFactor
        + " up to " + retry.maxIntervalMs + " ms, jitter " + retry.jitterMs + " ms"
        + (retry.retryOn ? ", on " + [].concat(retry.retryOn).join(", ") : "")]);
    rows.push(["limits", "limits", options.maxConcurrency ? "at most " + options.maxConcurrency
      + " at once, " + options.maxQueued + " queued" : "no concurrency limit"]);
    if (options.workerPool) rows.push(["workerPool", "worker pool", options.workerPool + " (" + options.workerPoolSize
      + " threads)"]);
    if (options.destinations) rows.push(["destinations", "destinations", options.destinations.join(", ")]);
    if (options.defer) rows.push(["defer", "deferred", "runs when nothing else is left"]);
    if (options.cachePolicy) rows.push(["cache", "cache", JSON.stringify(options.cachePolicy)]);
    return rows;
  }

  function showNode(nodeId, node) {
    $("node-details").hidden = false;
    $("node-name").textContent = nodeId;
    const metadata = Object.assign({}, (node && node.metadata) || {});
    const options = metadata.graphloop;
    delete metadata.graphloop;
    const table = $("node-options");
    table.innerHTML = "";
    for (const [key, label, text] of options ? optionRows(options) : []) {
      const row = table.insertRow();
      row.dataset.option = key;
      row.insertCell().textContent = label;
      row.insertCell().textContent = text;
    }
    table.hidden = !options;
    const info = {
      id: nodeId,
      metadata,
      from: graph.edges.filter(e => e.target === nodeId).map(e => e.source + (e.data ? " (" + e.data + ")" : "")),
      to: graph.edges.filter(e => e.source === nodeId).map(e => e.target + (e.data ? " (" + e.data + ")" : "")
        + (e.conditional ? " [conditional]" : "")),
    };
    $("node-info").textContent = JSON.stringify(info, null, 2);
  }

  async function selectGraph() {
    const graphId = $("assistant").value;
    if (!graphId) return;
    const params = new URLSearchParams(location.search);
    params.set("graph", graphId);
    history.replaceState(null, "", "?" + params);
    try {
      graph = await Api.graph(graphId, $("xray").checked);
      await Drawing.render($("graph"), graph, showNode);
      const schemas = await Api.schemas(graphId);
      $("run-input").value = JSON.stringify(example(schemas.input_schema), null, 2);
      $("thread-id").value = "";
      error("server-error");
      await Threads.show(graphId);
    } catch (e) {
      error("server-error", String(e.message || e));
    }
  }

  async function thread() {
    const id = $("thread-id").value.trim();
    if (id) return id;
    const created = await Api.createThread();
    $("thread-id").value = created.thread_id;
    return created.thread_id;
  }

  async function run(body) {
    error("form-error");
    try {
      const threadId = await thread();
      body.assistant_id = $("assistant").value;
      body.stream_mode = modes();
      await Live.start(threadId, body, () => Threads.refresh().then(() => Threads.open(threadId)));
    } catch (e) {
      error("form-error", String(e.message || e));
    }
  }

  async function loadAssistants() {
    const wanted = new URLSearchParams(location.search).get("graph");
    const assistants = await Api.assistants();
    $("assistant").innerHTML = "";
    for (const assistant of assistants) {
      const option = document.createElement("option");
      option.value = assistant.graph_id;
      option.textContent = assistant.graph_id;
      $("assistant").appendChild(option);
    }
    if (wanted && assistants.some(a => a.graph_id === wanted)) $("assistant").value = wanted;
    await selectGraph();
  }

  window.addEventListener("DOMContentLoaded", () => {
    const saved = sessionStorage.getItem("graphloop.credentials") || "";
    $("credentials").value = saved;
    Api.setCredentials(saved);
    $("credentials").addEventListener("change", () => {
      sessionStorage.setItem("graphloop.credentials", $("credentials").value);
      Api.setCredentials($("credentials").value);
      loadAssistants().catch(e => error("server-error", String(e.message || e)));
    });
    $("assistant").addEventListener("change", selectGraph);
    $("xray").addEventListener("change", selectGraph);
    $("run-form").addEventListener("submit", event => {
      event.preventDefault();
      let input, config;
      try {
        input = parse("run-input", "The input");
        config = parse("run-config", "The config");
      } catch (e) {
        error("form-error", e.message);
        return;
      }
      run({input, config});
    });
    $("cancel").addEventListener("click", () => Live.cancel());
    $("resume").addEventListener("click", () => {
      const text = $("resume-value").value;
      let value;
      try { value = JSON.parse(text); } catch (e) { value = text; }   // plain text is a string answer
      run({command: {resume: value}});
    });
    Threads.init({
      onOpen: threadId => { $("thread-id").value = threadId; },
      onReplay: (threadId, checkpointId) => {
        $("thread-id").value = threadId;
        run({input: null, checkpoint_id: checkpointId});
      },
    });
    loadAssistants().catch(e => error("server-error", String(e.message || e)));
  });
})();
