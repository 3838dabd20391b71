package io.graphloop.graph;

import io.graphloop.cache.CacheKey;
import io.graphloop.cache.NodeCache;
import io.vertx.core.Future;
import java.util.Collection;
import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.state.Channel;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated, immutable graph, laid out for the superstep planner: nodes are numbered in declaration
 * order and START is number {@link #startIndex()}; edges are arrays indexed by source.
 *
 * <p>Immutable and thread-safe: one instance serves every run, on every event loop.
 */
public final class CompiledGraph {

  static {
    GraphInternals.install(new Internals());
  }

  private final String name;
  private final List<NodeDefinition> nodes;
  private final Map<String, Integer> indexByName;
  private final Map<String, Channel> channels;
  /** The declared channels' values before their first write ({@link Channel#defaultValue()}), when they have one. */
  /** Channels, defaults, input and output keys, typed records: see {@link StateSchema}. */
  private final StateSchema schema;
  private final java.util.Set<String> interruptBefore;
  private final java.util.Set<String> interruptAfter;
  private final int[][] edgeTargets;
  private final Branch[][] branches;
  private final List<JoinEdge> joins;
  private final int[] joinTargets;
  private final int[][] joinSources;
  private final int[][] joinsBySource;
  private final List<String> warnings;

  private final boolean hasDeferredNodes;
  private final NodeCache cache;
  /**
   * By node index, what a run reads of a node at every step (its name, its attempts, whether it is a subgraph), in
   * arrays: on a graph of thousands of nodes each node's definition and options are cold in the CPU's caches, and
   * reaching them per step was a cache miss each; consecutive entries of an array are prefetched.
   */
  private final String[] nodeNames;
  private final int[] maxAttempts;
  /** Each node's error handler's node, or -1 (see {@link StateGraph#errorHandler}). */
  private final int[] errorHandlers;
  /** Each node's input keys, or null for the whole state (see {@link NodeOptions#setInputKeys}). */
  private final String[][] nodeInputKeys;
  private final boolean[] subgraphs;
  /** By node (or START): its only static edge target, or NO_EDGE / SEVERAL_EDGES (then read edgeTargets). */
  private final int[] onlyEdgeTarget;

  CompiledGraph(StateGraph graph, List<String> warnings, NodeCache cache) {
    this.cache = cache;
    this.name = graph.name();
    this.warnings = List.copyOf(warnings);
    List<NodeDefinition> defs = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (StateGraph.Declared d : graph.nodes()) {
      index.put(d.name(), defs.size());
      defs.add(new NodeDefinition(d.name(), defs.size(), d.kind(), d.async(), d.blocking(), d.options(),
          d.subgraph()));
    }
    this.nodes = List.copyOf(defs);
    this.nodeNames = new String[defs.size()];
    this.maxAttempts = new int[defs.size()];
    this.subgraphs = new boolean[defs.size()];
    for (NodeDefinition def : defs) {
      nodeNames[def.index()] = def.name();
      maxAttempts[def.index()] = def.sharedOptions().getRetry().maxAttempts();
      subgraphs[def.index()] = def.subgraph() != null;
    }
    this.hasDeferredNodes = defs.stream().anyMatch(d -> d.options().isDefer());
    this.indexByName = Map.copyOf(index);
    this.errorHandlers = new int[defs.size()];
    this.nodeInputKeys = new String[defs.size()][];
    for (NodeDefinition def : defs) {
      List<String> keys = def.sharedOptions().getInputKeys();
      nodeInputKeys[def.index()] = keys.isEmpty() ? null : keys.toArray(new String[0]);
    }
    for (NodeDefinition def : defs) {
      String handler = graph.errorHandlerOf(def.name());
      errorHandlers[def.index()] = handler == null ? -1 : index.get(handler);
    }
    this.schema = new StateSchema(graph);
    this.channels = schema.channels();
    this.interruptBefore = java.util.Set.copyOf(graph.interruptBefore());
    this.interruptAfter = java.util.Set.copyOf(graph.interruptAfter());

    EdgeLayout layout = EdgeLayout.of(graph, nodes.size(), this::indexOf);
    this.edgeTargets = layout.edgeTargets();
    this.branches = layout.branches();
    this.joins = layout.joins();
    this.joinTargets = layout.joinTargets();
    this.joinSources = layout.joinSources();
    this.joinsBySource = layout.joinsBySource();
    this.onlyEdgeTarget = layout.onlyEdgeTarget();
  }

  private CompiledGraph(CompiledGraph other, NodeCache cache) {
    this.cache = cache;
    this.name = other.name;
    this.nodes = other.nodes;
    this.indexByName = other.indexByName;
    this.schema = other.schema;
    this.channels = other.channels;
    this.interruptBefore = other.interruptBefore;
    this.interruptAfter = other.interruptAfter;
    this.edgeTargets = other.edgeTargets;
    this.branches = other.branches;
    this.joins = other.joins;
    this.joinTargets = other.joinTargets;
    this.joinSources = other.joinSources;
    this.joinsBySource = other.joinsBySource;
    this.warnings = other.warnings;
    this.hasDeferredNodes = other.hasDeferredNodes;
    this.nodeNames = other.nodeNames;
    this.maxAttempts = other.maxAttempts;
    this.errorHandlers = other.errorHandlers;
    this.nodeInputKeys = other.nodeInputKeys;
    this.subgraphs = other.subgraphs;
    this.onlyEdgeTarget = other.onlyEdgeTarget;
  }

  /**
   * This graph with {@code cache} as its cache of node writes (the graph is otherwise the same, immutable); used by
   * a runtime whose options give the checkpoint store's cache to a graph compiled without one.
   */
  public CompiledGraph withCache(NodeCache cache) {
    return new CompiledGraph(this, cache);
  }

  /** The cache of node writes the graph was compiled with ({@link StateGraph#compile(NodeCache)}), or null. */
  public NodeCache cache() {
    return cache;
  }

  /**
   * Removes the cached writes of {@code nodes} (names of this graph's nodes; unknown names are skipped, as
   * LangGraph's {@code clear_cache}), or of every node when {@code nodes} is {@code null} or empty. Fails with an
   * {@link IllegalStateException} when the graph has no cache, as LangGraph's {@code ValueError}.
   * Thread-safe; never blocks.
   */
  public Future<Void> clearCache(Collection<String> nodes) {
    if (cache == null) {
      return Future.failedFuture(new IllegalStateException("No cache is set for graph '" + name
          + "'. Cannot clear cache: compile it with StateGraph.compile(NodeCache)."));
    }
    List<String> namespaces = new ArrayList<>();
    for (NodeDefinition node : this.nodes) {
      if (nodes == null || nodes.isEmpty() || nodes.contains(node.name())) {
        namespaces.add(CacheKey.writesNamespace(name, node.name()));
      }
    }
    return namespaces.isEmpty() ? Future.succeededFuture() : cache.clear(namespaces);
  }

  /** The graph's name. */
  public String name() {
    return name;
  }

  /**
   * Hints about the graph's flow that do not stop it from compiling, as LangGraph compiles such graphs too:
   * nodes no run can reach, and nodes from which a run can only stop at its recursion limit. Empty for most
   * graphs. A node with no outgoing edge is not one of them: a run simply ends after it.
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The graph as Mermaid flowchart text, exactly as LangGraph 1.2.12's {@code get_graph().draw_mermaid()}
   * writes it for the same graph; subgraphs are drawn as single nodes.
   */
  public String toMermaid() {
    return toMermaid(0);
  }

  /**
   * The graph as Mermaid text; {@code xray} as LangGraph's: 0 draws subgraphs as single nodes, a positive depth
   * expands that many levels of subgraphs, a negative value expands all.
   */
  public String toMermaid(int xray) {
    return Mermaid.render(drawing(xray));
  }

  /**
   * As {@link #toMermaid(int)}; {@code withStyles} false is LangGraph's {@code draw_mermaid(with_styles=False)}: the
   * edges only (see {@link Mermaid#render(GraphDrawing, boolean)}).
   */
  public String toMermaid(int xray, boolean withStyles) {
    return Mermaid.render(drawing(xray), withStyles);
  }

  /** The nodes and edges LangGraph's {@code get_graph(xray)} gives for this graph (see {@link GraphDrawing}). */
  public GraphDrawing drawing(int xray) {
    return GraphDrawing.of(this, xray);
  }

  /** The nodes in declaration order. */
  /** Whether some node is deferred ({@code NodeOptions.setDefer}), so planners may skip the defer rule. */
  public boolean hasDeferredNodes() {
    return hasDeferredNodes;
  }

  public List<NodeDefinition> nodes() {
    return nodes;
  }

  /** The node numbered {@code index}. */
  public NodeDefinition node(int index) {
    return nodes.get(index);
  }

  /** The node named {@code name}, or {@code null}. */
  public NodeDefinition node(String name) {
    Integer index = indexByName.get(name);
    return index == null ? null : nodes.get(index);
  }

  /** The number of {@code name} in declaration order, {@link #startIndex()} for START, -1 if unknown. */
  public int indexOf(String name) {
    if (StateGraph.START.equals(name)) {
      return startIndex();
    }
    Integer index = indexByName.get(name);
    return index == null ? -1 : index;
  }

  /** The number standing for START in the edge arrays: the node count. */
  public int startIndex() {
    return nodes.size();
  }

  /** The node names in declaration order, for error messages. */
  public List<String> nodeNames() {
    List<String> names = new ArrayList<>(nodes.size());
    for (NodeDefinition node : nodes) {
      names.add(node.name());
    }
    return names;
  }

  /**
   * Refuses node names that are not nodes of this graph, e.g. a run's breakpoints: a misspelt one would otherwise
   * never match, and the run would never stop.
   *
   * @param field names the list in the message, e.g. {@code "RunOptions.interruptBefore"}
   * @throws IllegalArgumentException naming the unknown names and listing the known nodes
   */
  public void checkNodeNames(String field, java.util.Collection<String> names) {
    if (names.isEmpty()) {
      return; // the usual case, checked for every run: no iterator, no list
    }
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      if (!indexByName.containsKey(name) && !StateGraph.ALL_NODES.equals(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(field + " names " + (unknown.size() == 1 ? "unknown node '" + unknown.get(0)
          + "'" : "unknown nodes " + unknown.stream().map(n -> "'" + n + "'").toList()) + " of graph '" + name
          + "'; known nodes are " + nodeNames() + " (or \"*\" for all).");
    }
  }

  /** The declared channels, in declaration order. */
  public Map<String, Channel> channels() {
    return channels;
  }

  /**
   * {@code state} with every declared channel that has a default value ({@link Channel#defaultValue()}: an append
   * channel's empty list, a reducer's initial value) and is absent set to it, as LangGraph's channels show their
   * default before their first write; {@code state} itself when nothing is missing.
   */
  public State withDefaults(State state) {
    return schema.withDefaults(state);
  }

  /** The channel for key {@code name}: the declared one, or last-value; {@code null} if undeclared and strict. */
  public Channel channel(String name) {
    return schema.channel(name);
  }

  /** The nodes before which every run stops as interrupted (static breakpoints). */
  public java.util.Set<String> interruptBefore() {
    return interruptBefore;
  }

  /** The nodes after which every run stops as interrupted (static breakpoints). */
  public java.util.Set<String> interruptAfter() {
    return interruptAfter;
  }

  /** The state record or bean of a graph made by {@link StateGraph#typed}, or empty for an untyped graph. */
  public java.util.Optional<Class<?>> stateType() {
    return java.util.Optional.ofNullable(schema.stateType());
  }

  /** The input record or bean of a typed graph ({@link TypedStateGraph#inputType}), or empty when it has none. */
  public java.util.Optional<Class<?>> inputType() {
    return java.util.Optional.ofNullable(schema.inputType());
  }

  /** Whether writes to undeclared channels are errors. */
  public boolean isStrictChannels() {
    return schema.isStrict();
  }

  /**
   * The keys a run's input may write ({@link StateGraph#inputKeys}; by default a strict graph's declared channels),
   * or {@code null} when the graph takes any key.
   */
  public java.util.Set<String> inputKeys() {
    return schema.inputKeys();
  }

  /**
   * The keys of a run's result ({@link StateGraph#outputKeys}, LangGraph's output schema), or {@code null} for every
   * channel.
   */
  public java.util.Set<String> outputKeys() {
    return schema.outputKeys();
  }

  /** The output record or bean of a typed graph ({@link TypedStateGraph#outputType}), or empty when it has none. */
  public java.util.Optional<Class<?>> outputType() {
    return java.util.Optional.ofNullable(schema.outputType());
  }

  /**
   * A run's result from its final {@code values}: only the {@link #outputKeys()} it has, in the state's order
   * (LangGraph's {@code invoke} reads its output channels); {@code values} itself without output keys.
   */
  public io.graphloop.state.State outputOf(io.graphloop.state.State values) {
    return schema.outputOf(values);
  }

  /**
   * {@code input} without the keys outside {@link #inputKeys()} (LangGraph drops the keys outside its input schema);
   * {@code input} itself when it has none of them.
   */
  public Map<String, Object> inputOf(Map<String, Object> input) {
    return schema.inputOf(input);
  }

  /**
   * {@code update} without the keys that are no channel of a strict graph (LangGraph skips writes to channels it does
   * not have, as for a Command's update given as a run's input); {@code update} itself otherwise.
   */
  public Map<String, Object> channelWritesOf(Map<String, Object> update) {
    return schema.channelWritesOf(update);
  }

  /** The static edge targets of node (or START) {@code source}, ascending, END excluded (a copy). */
  public int[] edgeTargets(int source) {
    return edgeTargets[source].clone(); // a copy: every run shares the graph's arrays
  }

  /** The conditional edges leaving node (or START) {@code source}, in declaration order (a copy). */
  public Branch[] branches(int source) {
    return branches[source].clone(); // a copy: every run shares the graph's arrays
  }

  /** The waiting joins, in declaration order. */
  public List<JoinEdge> joins() {
    return joins;
  }

  /** The target node of join {@code join}. */
  public int joinTarget(int join) {
    return joinTargets[join];
  }

  /** The distinct source nodes of join {@code join} (a copy). */
  public int[] joinSources(int join) {
    return joinSources[join].clone(); // a copy: every run shares the graph's arrays
  }

  /** The joins that node {@code source} is a source of (a copy). */
  public int[] joinsOf(int source) {
    return joinsBySource[source].clone(); // a copy: every run shares the graph's arrays
  }

  /** The engine's copy-free access (see {@link GraphInternals}); stateless. */
  private static final class Internals implements GraphInternals.Accessor {
    @Override
    public int[] edgeTargets(CompiledGraph graph, int source) {
      return graph.edgeTargets[source];
    }

    @Override
    public Branch[] branches(CompiledGraph graph, int source) {
      return graph.branches[source];
    }

    @Override
    public int[] joinSources(CompiledGraph graph, int join) {
      return graph.joinSources[join];
    }

    @Override
    public int[] joinsOf(CompiledGraph graph, int source) {
      return graph.joinsBySource[source];
    }

    @Override
    public NodeOptions options(NodeDefinition node) {
      return node.sharedOptions();
    }

    @Override
    public String nodeName(CompiledGraph graph, int node) {
      return graph.nodeNames[node];
    }

    @Override
    public int maxAttempts(CompiledGraph graph, int node) {
      return graph.maxAttempts[node];
    }

    @Override
    public int onlyEdgeTarget(CompiledGraph graph, int source) {
      return graph.onlyEdgeTarget[source];
    }

    @Override
    public boolean isSubgraph(CompiledGraph graph, int node) {
      return graph.subgraphs[node];
    }

    @Override
    public int errorHandler(CompiledGraph graph, int node) {
      return graph.errorHandlers[node];
    }

    @Override
    public String[] inputKeys(CompiledGraph graph, int node) {
      return graph.nodeInputKeys[node];
    }
  }
}
