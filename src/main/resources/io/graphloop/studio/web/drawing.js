// Graphloop Studio: draws a graph from GET /assistants/{id}/graph (LangGraph's get_graph().to_json() shape) with
// the vendored Mermaid, and marks its nodes as a run goes (running, done, waiting for a person, failed).
"use strict";

const Drawing = (() => {
  const STATES = ["gl-running", "gl-done", "gl-interrupted", "gl-error"];
  let renders = 0;
  let ids = new Map();       // node id in the graph JSON -> Mermaid id (n0, n1 ...)
  let names = new Map();     // Mermaid id -> node id
  let elements = new Map();  // node id -> its SVG element

  mermaid.initialize({startOnLoad: false, securityLevel: "strict", flowchart: {curve: "linear", htmlLabels: true}});

  function text(value) {   // a label Mermaid shows as is: entity codes for what its syntax would read
    return String(value).replace(/[#"|<>\[\]{}()]/g, c => "#" + c.charCodeAt(0) + ";");
  }

  // Mermaid text for the graph JSON: START/END as stadiums, conditional edges dotted with their labels,
  // xray subgraph nodes ("child:inner") grouped in nested subgraph blocks.
  function mermaidText(graph) {
    ids = new Map();
    names = new Map();
    graph.nodes.forEach((node, i) => { ids.set(node.id, "n" + i); names.set("n" + i, node.id); });
    const lines = ["flowchart TD"];
    const tree = {children: new Map(), nodes: []};
    for (const node of graph.nodes) {
      const path = node.id.split(":").slice(0, -1);
      let level = tree;
      for (const part of path) {
        if (!level.children.has(part)) level.children.set(part, {children: new Map(), nodes: []});
        level = level.children.get(part);
      }
      level.nodes.push(node);
    }
    let blocks = 0;
    const emit = (level, indent) => {
      for (const node of level.nodes) {
        const id = ids.get(node.id);
        const label = text(node.id.split(":").pop());
        if (node.id === "__start__") lines.push(indent + id + '(["' + label + '"]):::first');
        else if (node.id === "__end__") lines.push(indent + id + '(["' + label + '"]):::last');
        else lines.push(indent + id + '["' + label + '"]');
      }
      for (const [name, child] of level.children) {
        lines.push(indent + "subgraph sg" + (blocks++) + '["' + text(name) + '"]');
        emit(child, indent + "  ");
        lines.push(indent + "end");
      }
    };
    emit(tree, "  ");
    for (const edge of graph.edges) {
      const from = ids.get(edge.source), to = ids.get(edge.target);
      if (!from || !to) continue;
      const arrow = edge.conditional ? "-.->" : "-->";
      const label = edge.data === undefined || edge.data === null ? "" : '|"' + text(edge.data) + '"|';
      lines.push("  " + from + " " + arrow + label + " " + to);
    }
    lines.push("  classDef first fill-opacity:0", "  classDef last fill:#bfb6fc");
    return lines.join("\n");
  }

  // Renders graph into container; onClick(nodeId, nodeJson) when a node is clicked.
  async function render(container, graph, onClick) {
    const source = mermaidText(graph);
    const {svg} = await mermaid.render("gl-graph-" + (renders++), source);
    container.innerHTML = svg;
    container.dataset.mermaid = source;
    elements = new Map();
    const byId = new Map(graph.nodes.map(node => [node.id, node]));
    for (const element of container.querySelectorAll("g.node")) {
      const match = /flowchart-(n\d+)-\d+$/.exec(element.id);
      const nodeId = match && names.get(match[1]);
      if (!nodeId) continue;
      elements.set(nodeId, element);
      element.dataset.node = nodeId;
      element.style.cursor = "pointer";
      element.addEventListener("click", () => onClick(nodeId, byId.get(nodeId)));
    }
  }

  // The node that ran a task: subgraph tasks are reported with their parent node's name, which is drawn either
  // as one node or (xray) as its inner nodes.
  // With xray a subgraph node is drawn as its inner nodes ("inner:plan" ...): its tasks mark all of them.
  function elementsOf(nodeId) {
    const element = elements.get(nodeId);
    if (element) return [element];
    return [...elements.entries()].filter(([id]) => id.startsWith(nodeId + ":")).map(([, e]) => e);
  }

  // Marks the node; a failed node also shows its error (a tooltip on the node and data-error).
  function mark(nodeId, state, error) {
    for (const element of elementsOf(nodeId)) {
      element.classList.remove(...STATES);
      if (state) element.classList.add("gl-" + state);
      for (const old of element.querySelectorAll(":scope > title.gl-error-title")) old.remove();
      delete element.dataset.error;
      if (error) {
        element.dataset.error = error;
        const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
        title.classList.add("gl-error-title");
        title.textContent = nodeId + " failed: " + error;
        element.prepend(title);
      }
    }
  }

  function clear() {
    for (const id of elements.keys()) mark(id, null);
  }

  return {render, mark, clear, mermaidText};
})();
