package io.graphloop.graph;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The drawable form of a compiled graph: the nodes and edges LangGraph 1.2.12's {@code get_graph()} produces
 * for the same graph, so that {@link Mermaid} text and the server's graph JSON match LangGraph's.
 *
 * <p>LangGraph finds the edges by simulating its loop on an empty state: every node reached from START runs,
 * writes along its static edges, its conditional edges' path maps and its declared Command destinations, and
 * waiting joins fire once all their sources wrote. This class runs the same simulation (at most 250 steps, as
 * LangGraph) instead of reading the declarations directly, so it reproduces LangGraph's choices: a router
 * without a path map draws no edge (its targets are unknown until it runs); a node with no drawn way on gets a
 * plain edge to END; an explicit edge to END is drawn only for such nodes; edges are sorted and one edge is
 * kept per pair of nodes. With {@code xray}, a subgraph node is replaced by its child's nodes, prefixed
 * {@code "node:"}.
 *
 * <p>Immutable and thread-safe once built; built on the calling thread.
 */
public final class GraphDrawing {

  /** LangGraph's simulation bound in {@code draw_graph}. */
  private static final int STEP_LIMIT = 250;

  /** A node: its id (prefixed inside subgraphs), its own name, and LangGraph's metadata (e.g. interrupts). */
  public record Node(String id, String name, Map<String, Object> metadata) {
    public Node {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /** An edge; {@code data} is the path-map label shown on it, or {@code null}. */
  public record Edge(String source, String target, String data, boolean conditional) {
  }

  private final List<Node> nodes;
  private final List<Edge> edges;

  private GraphDrawing(List<Node> nodes, List<Edge> edges) {
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
  }

  /** The nodes in LangGraph's order: START, the declared nodes, END (if any edge reaches it), subgraph nodes. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The edges in LangGraph's order. */
  public List<Edge> edges() {
    return edges;
  }

  /**
   * LangGraph's JSON form of the drawing ({@code get_graph().to_json()}, what LangGraph Server answers on
   * {@code GET /assistants/{id}/graph}): nodes as runnables named by their id (a subgraph's inner node by its
   * prefixed id) with their metadata when they have any, END (every level's) as a bare id; edges with their label ({@code data}) and {@code conditional: true} when they have them.
   */
  public JsonObject toJson() {
    JsonArray jsonNodes = new JsonArray();
    for (Node node : nodes) {
      JsonObject json = new JsonObject().put("id", node.id());
      // langchain_core's node_data_json: an END (of any level) has no data; a node's name is its whole id, prefixed
      // by its subgraphs' names when xray expanded them (Graph.extend keeps the data, node_data_str names it by id)
      if (!node.id().equals(END) && !node.id().endsWith(":" + END)) {
        json.put("type", "runnable").put("data", new JsonObject()
            .put("id", new JsonArray().add("langgraph").add("_internal").add("_runnable").add("RunnableCallable"))
            .put("name", node.id()));
        if (!node.metadata().isEmpty()) {
          json.put("metadata", new JsonObject(new LinkedHashMap<>(node.metadata())));
        }
      }
      jsonNodes.add(json);
    }
    JsonArray jsonEdges = new JsonArray();
    for (Edge edge : edges) {
      JsonObject json = new JsonObject().put("source", edge.source()).put("target", edge.target());
      if (edge.data() != null) {
        json.put("data", edge.data());
      }
      if (edge.conditional()) {
        json.put("conditional", true);
      }
      jsonEdges.add(json);
    }
    return new JsonObject().put("nodes", jsonNodes).put("edges", jsonEdges);
  }

  /** The single node no edge leads to, or {@code null} (LangGraph's {@code first_node}). */
  public Node firstNode() {
    return single(nodes, edges, true, null);
  }

  /** The single node no edge leaves, or {@code null} (LangGraph's {@code last_node}). */
  public Node lastNode() {
    return single(nodes, edges, false, null);
  }

  /**
   * Draws {@code graph}. {@code xray} is LangGraph's: 0 draws subgraphs as single nodes, a positive depth
   * expands that many levels, and a negative value expands every level.
   */
  public static GraphDrawing of(CompiledGraph graph, int xray) {
    Builder builder = new Builder();
    simulate(graph, builder);
    builder.addNode(START, START, Map.of());
    for (NodeDefinition node : graph.nodes()) {
      builder.addNode(node.name(), node.name(), metadata(graph, node.name()));
    }
    List<Edge> sorted = new ArrayList<>(builder.found);
    sorted.sort(EDGE_ORDER);
    for (Edge edge : sorted) {
      builder.addEdge(edge.source(), edge.target(), Objects.equals(edge.data(), edge.target()) ? null : edge.data(),
          edge.conditional());
    }
    Set<String> sources = new HashSet<>();
    Set<String> termini = new TreeSet<>();
    boolean endEdge = false;
    for (Edge edge : builder.found) {
      sources.add(edge.source());
      endEdge |= edge.target().equals(END);
    }
    for (Edge edge : builder.found) {
      if (!edge.target().equals(END) && !sources.contains(edge.target())) {
        termini.add(edge.target());
      }
    }
    if (!termini.isEmpty()) {
      for (String terminus : termini) {
        builder.addEdge(terminus, END, null, false);
      }
    } else if (builder.lastStep.size() == 1 && !endEdge) {
      builder.addEdge(builder.lastStep.iterator().next(), END, null, true);
    }
    GraphDrawing drawn = new GraphDrawing(new ArrayList<>(builder.nodes.values()), builder.edges);
    return xray == 0 ? drawn : expandSubgraphs(graph, drawn, xray);
  }

  private static Map<String, Object> metadata(CompiledGraph graph, String node) {
    boolean before = graph.interruptBefore().contains(node)
        || graph.interruptBefore().contains(StateGraph.ALL_NODES);
    boolean after = graph.interruptAfter().contains(node)
        || graph.interruptAfter().contains(StateGraph.ALL_NODES);
    if (before && after) {
      return Map.of("__interrupt", "before,after");
    }
    return before ? Map.of("__interrupt", "before") : after ? Map.of("__interrupt", "after") : Map.of();
  }

  /** Python's tuple order on (source, target, conditional, data), with no data before any data. */
  private static final Comparator<Edge> EDGE_ORDER = Comparator.comparing(Edge::source)
      .thenComparing(Edge::target)
      .thenComparing(Edge::conditional)
      .thenComparing(Edge::data, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** LangGraph's draw loop: which tasks run at each step, and which writes triggered them. */
  private static void simulate(CompiledGraph graph, Builder builder) {
    int n = graph.nodes().size();
    List<Set<Integer>> barriers = new ArrayList<>();
    for (int j = 0; j < graph.joins().size(); j++) {
      barriers.add(new HashSet<>());
    }
    BitSet tasks = new BitSet(n + 1);
    tasks.set(graph.startIndex());
    for (int step = -1; step < STEP_LIMIT && !tasks.isEmpty(); step++) {
      builder.lastStep.clear();
      BitSet next = new BitSet(n + 1);
      for (int task = tasks.nextSetBit(0); task >= 0; task = tasks.nextSetBit(task + 1)) {
        String source = task == graph.startIndex() ? START : graph.node(task).name();
        builder.lastStep.add(source);
        for (int target : graph.edgeTargets(task)) {
          next.set(target);
          builder.found.add(new Edge(source, graph.node(target).name(), null, false));
        }
        for (Branch branch : graph.branches(task)) {
          if (branch.pathMap() != null) {
            for (Map.Entry<String, String> path : branch.pathMap().entrySet()) {
              builder.found.add(new Edge(source, path.getValue(), path.getKey(), true));
              if (!path.getValue().equals(END)) {
                next.set(graph.indexOf(path.getValue()));
              }
            }
          }
        }
        if (task != graph.startIndex()) {
          for (String destination : graph.node(task).options().getDestinations()) {
            builder.found.add(new Edge(source, destination, null, true));
            if (!destination.equals(END)) {
              next.set(graph.indexOf(destination));
            }
          }
          for (int join : graph.joinsOf(task)) {
            barriers.get(join).add(task);
          }
        }
      }
      for (int join = 0; join < barriers.size(); join++) {
        Set<Integer> seen = barriers.get(join);
        if (seen.size() == graph.joinSources(join).length) {
          int target = graph.joinTarget(join);
          next.set(target);
          for (int source : seen) {
            builder.found.add(new Edge(graph.node(source).name(), graph.node(target).name(), null, false));
          }
          seen.clear();
        }
      }
      tasks = next;
    }
  }

  private static GraphDrawing expandSubgraphs(CompiledGraph graph, GraphDrawing drawn, int xray) {
    List<Node> nodes = new ArrayList<>(drawn.nodes);
    List<Edge> edges = new ArrayList<>(drawn.edges);
    for (NodeDefinition node : graph.nodes()) {
      if (node.subgraph() == null) {
        continue;
      }
      GraphDrawing child = of(node.subgraph().graph(), xray > 0 ? xray - 1 : xray);
      if (child.nodes.size() <= 1 || child.firstNode() == null || child.lastNode() == null) {
        continue;
      }
      List<Node> childNodes = new ArrayList<>(child.nodes);
      List<Edge> childEdges = new ArrayList<>(child.edges);
      trim(childNodes, childEdges, true);
      trim(childNodes, childEdges, false);
      Node first = single(childNodes, childEdges, true, null);
      Node last = single(childNodes, childEdges, false, null);
      nodes.removeIf(existing -> existing.id().equals(node.name()));
      String prefix = node.name() + ":";
      for (Node childNode : childNodes) {
        nodes.add(new Node(prefix + childNode.id(), childNode.name(), childNode.metadata()));
      }
      for (Edge edge : childEdges) {
        edges.add(new Edge(prefix + edge.source(), prefix + edge.target(), edge.data(), edge.conditional()));
      }
      for (int i = 0; i < edges.size(); i++) {
        Edge edge = edges.get(i);
        String source = edge.source().equals(node.name()) && last != null ? prefix + last.id() : edge.source();
        String target = edge.target().equals(node.name()) && first != null ? prefix + first.id() : edge.target();
        edges.set(i, new Edge(source, target, edge.data(), edge.conditional()));
      }
    }
    return new GraphDrawing(nodes, edges);
  }

  /** LangGraph's trim_first_node / trim_last_node: drop START (END) when another node would still be first (last). */
  private static void trim(List<Node> nodes, List<Edge> edges, boolean first) {
    Node end = single(nodes, edges, first, null);
    if (end == null || single(nodes, edges, first, end.id()) == null) {
      return;
    }
    Set<Edge> touching = new LinkedHashSet<>();
    for (Edge edge : edges) {
      if ((first ? edge.source() : edge.target()).equals(end.id())) {
        touching.add(edge);
      }
    }
    if (touching.size() == 1) {
      nodes.remove(end);
      edges.removeIf(edge -> edge.source().equals(end.id()) || edge.target().equals(end.id()));
    }
  }

  /** The one node that no edge reaches (first) or leaves (last), ignoring node {@code exclude}; else null. */
  private static Node single(List<Node> nodes, List<Edge> edges, boolean first, String exclude) {
    Set<String> touched = new HashSet<>();
    for (Edge edge : edges) {
      String from = first ? edge.source() : edge.target();
      if (!from.equals(exclude)) {
        touched.add(first ? edge.target() : edge.source());
      }
    }
    Node found = null;
    for (Node node : nodes) {
      if (!node.id().equals(exclude) && !touched.contains(node.id())) {
        if (found != null) {
          return null;
        }
        found = node;
      }
    }
    return found;
  }

  /** Collects nodes and edges as LangGraph's Graph does: one edge per (source, target), END added on first use. */
  private static final class Builder {
    final Set<Edge> found = new HashSet<>();
    final Set<String> lastStep = new LinkedHashSet<>();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<Edge> edges = new ArrayList<>();
    private final Map<String, Set<String>> pairs = new HashMap<>();

    void addNode(String id, String name, Map<String, Object> metadata) {
      nodes.put(id, new Node(id, name, metadata));
    }

    void addEdge(String source, String target, String data, boolean conditional) {
      if (!pairs.computeIfAbsent(source, s -> new HashSet<>()).add(target)) {
        return;
      }
      if (target.equals(END) && !nodes.containsKey(END)) {
        nodes.put(END, new Node(END, END, Map.of()));
      }
      edges.add(new Edge(source, target, data, conditional));
    }
  }
}
