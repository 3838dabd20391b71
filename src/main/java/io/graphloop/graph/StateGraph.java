package io.graphloop.graph;

import io.graphloop.state.Channel;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Declares a state graph, in the spirit of LangGraph's {@code StateGraph}: channels with their
 * reducers, async and blocking nodes, and edges (static, waiting joins, conditional). {@link #compile()}
 * validates everything at once and returns an immutable {@link CompiledGraph}.
 *
 * <pre>{@code
 * CompiledGraph graph = new StateGraph("research")
 *     .channel("notes", Channels.append())
 *     .addNode("llm", state -> callModel(state))
 *     .addBlockingNode("db", (state, ctx) -> queryDatabase(state))
 *     .addEdge(START, "llm").addEdge(START, "db")
 *     .addEdge(List.of("llm", "db"), "summarize")
 *     ...
 *     .compile();
 * }</pre>
 *
 * <p>Keys the graph writes without a declared channel are last-value channels, unless
 * {@link #strictChannels()} closes the schema (such writes are then dropped, as LangGraph's).
 *
 * <p>A builder: not thread-safe; build on one thread, then share the compiled graph.
 */
public final class StateGraph {

  /** The virtual node every run starts from. */
  public static final String START = "__start__";
  /** The virtual node that ends a run. */
  public static final String END = "__end__";
  /** In a breakpoint list ({@link #interruptBefore}, {@link #interruptAfter}, {@code RunOptions}): every node. */
  public static final String ALL_NODES = "*";
  /** The name of the node that runs the graph's default error handler ({@link NodeDefaults#errorHandler}). */
  public static final String DEFAULT_ERROR_HANDLER = "__default_error_handler__";
  /** The prefix of the name of the node that runs a node's own error handler: {@code __error_handler__<node>}. */
  public static final String ERROR_HANDLER_PREFIX = "__error_handler__";

  /** A node as declared, kept even when invalid so the validator can report it. */
  record Declared(String name, NodeKind kind, AsyncNode async, BlockingNode blocking, NodeOptions options,
                  Subgraph subgraph) {
  }

  /** An error handler as given: async or blocking. */
  private record Handler(NodeKind kind, AsyncNode async, BlockingNode blocking) {
  }

  private final String name;
  private final List<Map.Entry<String, Channel>> channels = new ArrayList<>();
  private final List<Declared> nodes = new ArrayList<>();
  private final List<String[]> edges = new ArrayList<>();
  private final List<JoinEdge> joins = new ArrayList<>();
  private final List<Branch> branches = new ArrayList<>();
  /** Each node's own error handler, by node name, in the order given. */
  private final Map<String, Handler> errorHandlers = new LinkedHashMap<>();
  private final NodeDefaults nodeDefaults = new NodeDefaults();
  private boolean strictChannels;
  /** The keys a run's input may write, or {@code null}: the declared channels of a strict graph, else any key. */
  private List<String> inputKeys;
  private final List<String> interruptBefore = new ArrayList<>();
  private final List<String> interruptAfter = new ArrayList<>();
  /** A typed graph's state and input types ({@link TypedStateGraph}), for its JSON schemas; null when untyped. */
  private Class<?> stateType;
  private Class<?> inputType;
  private List<String> outputKeys;
  private Class<?> outputType;

  /** A new graph named {@code name} (letters, digits, '_', '-', '.'; it becomes part of event-bus addresses). */
  public StateGraph(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * A graph whose state is the record or JavaBean {@code type}: its components (properties) are the channels (see
   * {@link TypedStateGraph}).
   *
   * @throws IllegalArgumentException when {@code type} cannot be a typed state, saying why
   */
  public static <S> TypedStateGraph<S> typed(String name, Class<S> type) {
    return new TypedStateGraph<>(name, type);
  }

  /** {@link #typed(String, Class)} named after the record or bean (its simple name). */
  public static <S> TypedStateGraph<S> typed(Class<S> type) {
    return new TypedStateGraph<>(Objects.requireNonNull(type, "type").getSimpleName(), type);
  }

  /** Declares channel {@code name} with its reducer (see {@code io.graphloop.state.Channels}). */
  public StateGraph channel(String name, Channel channel) {
    channels.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(channel, "channel")));
    return this;
  }

  /**
   * Closes the graph's schema to its declared channels, as a LangGraph state schema is closed: a node's (or a
   * Command's, or {@code updateState}'s) write to an undeclared channel is dropped without an error, as LangGraph
   * 1.2.12 drops writes to keys outside its state schema, and a run's input keys outside the graph's input keys
   * ({@link #inputKeys}; by default the declared channels) are dropped, as LangGraph drops them.
   */
  public StateGraph strictChannels() {
    this.strictChannels = true;
    return this;
  }

  /**
   * The keys a run's input may write (LangGraph's {@code input_schema}): any other key of an input (a run's, or
   * START's in {@code updateState}) is dropped before it reaches the state, as LangGraph drops the keys outside its
   * input schema. Without this call: the declared channels of a {@link #strictChannels()} graph, and any key of
   * another graph. In a strict graph each key must be a declared channel ({@link #compile()} says so otherwise).
   */
  public StateGraph inputKeys(String... keys) {
    List<String> list = new ArrayList<>();
    for (String key : Objects.requireNonNull(keys, "keys")) {
      list.add(Objects.requireNonNull(key, "an input key"));
    }
    this.inputKeys = list;
    return this;
  }

  /**
   * The keys of a run's result (LangGraph's {@code output_schema}): {@code invoke}'s returned values
   * ({@code RunResult.values()}) and, for a graph used as a subgraph, the keys its node writes to the parent are these
   * channels only, as LangGraph's output channels. The thread's state, {@code getState}, and the {@code values} and
   * {@code updates} streams keep every channel, as LangGraph's do. Without this call: every channel. In a strict graph
   * each key must be a declared channel ({@link #compile()} says so otherwise).
   */
  public StateGraph outputKeys(String... keys) {
    List<String> list = new ArrayList<>();
    for (String key : Objects.requireNonNull(keys, "keys")) {
      list.add(Objects.requireNonNull(key, "an output key"));
    }
    this.outputKeys = list;
    return this;
  }

  /** Adds an async node (see {@link AsyncNode}). */
  public StateGraph addNode(String name, AsyncNode node) {
    return addNode(name, node, new NodeOptions());
  }

  /** Adds an async node that needs only the state. */
  public StateGraph addNode(String name, Function<State, Future<?>> node) {
    Objects.requireNonNull(node, "node");
    return addNode(name, (state, context) -> node.apply(state), new NodeOptions());
  }

  /** Adds an async node with options. */
  public StateGraph addNode(String name, AsyncNode node, NodeOptions options) {
    nodes.add(new Declared(Objects.requireNonNull(name, "name"), NodeKind.ASYNC, Objects.requireNonNull(node, "node"),
        null, new NodeOptions(options), null));
    return this;
  }

  /** Adds a blocking node (see {@link BlockingNode}); it always runs on a worker thread. */
  public StateGraph addBlockingNode(String name, BlockingNode node) {
    return addBlockingNode(name, node, new NodeOptions());
  }

  /** Adds a blocking node that needs only the state. */
  public StateGraph addBlockingNode(String name, Function<State, ?> node) {
    Objects.requireNonNull(node, "node");
    return addBlockingNode(name, (state, context) -> node.apply(state), new NodeOptions());
  }

  /** Adds a blocking node with options (e.g. its own worker pool). */
  public StateGraph addBlockingNode(String name, BlockingNode node, NodeOptions options) {
    nodes.add(new Declared(Objects.requireNonNull(name, "name"), NodeKind.BLOCKING, null,
        Objects.requireNonNull(node, "node"), new NodeOptions(options), null));
    return this;
  }

  /**
   * Adds a node that runs on a virtual thread (Java 21 or newer), written in plain blocking style; it may wait
   * on Vert.x futures with {@code Future.await(...)} without holding a platform thread. On an older JVM,
   * {@link #compile()} reports it (Graphloop builds for Java 17; virtual threads need 21).
   */
  public StateGraph addVirtualThreadNode(String name, BlockingNode node) {
    return addVirtualThreadNode(name, node, new NodeOptions());
  }

  /** Adds a virtual-thread node with options. */
  public StateGraph addVirtualThreadNode(String name, BlockingNode node, NodeOptions options) {
    nodes.add(new Declared(Objects.requireNonNull(name, "name"), NodeKind.VIRTUAL_THREAD, null,
        Objects.requireNonNull(node, "node"), new NodeOptions(options), null));
    return this;
  }

  /** Adds {@code graph} as a node, with the default mapping of its channels (see {@link Subgraph}). */
  public StateGraph addSubgraph(String name, CompiledGraph graph) {
    return addSubgraph(name, Subgraph.of(graph), new NodeOptions());
  }

  /**
   * Adds a subgraph node with its channel mapping and persistence, e.g. {@code Subgraph.of(child).stateful()}
   * (LangGraph's {@code add_node("name", child.compile(checkpointer=True))}).
   */
  public StateGraph addSubgraph(String name, Subgraph subgraph) {
    return addSubgraph(name, subgraph, new NodeOptions());
  }

  /** Adds a subgraph node with its channel mapping and options (timeout, retry, limits apply to the whole child run). */
  public StateGraph addSubgraph(String name, Subgraph subgraph, NodeOptions options) {
    nodes.add(new Declared(Objects.requireNonNull(name, "name"), NodeKind.SUBGRAPH, null, null,
        new NodeOptions(options), Objects.requireNonNull(subgraph, "subgraph")));
    return this;
  }

  /**
   * Gives node {@code node} an error handler (LangGraph 1.2.12's {@code add_node(..., error_handler=...)}): when the
   * node fails after its retries ({@link NodeOptions#setRetry}), the handler runs in the same step in its place, on
   * the state the node received, and reads the failure with {@link NodeContext#nodeError()}. It returns an update
   * and/or a {@link Command} whose {@code goto} routes the run on; the failed node's own edges are not taken (a
   * handler that returns a plain update ends the run there unless another task of the step leads on). The handler's
   * own failure fails the run (no handler handles a handler). An {@code interrupt()} of the node is never handled:
   * the run stops as interrupted. A subgraph node's handler handles any failure of its child run.
   *
   * <p>The handler runs as node {@code __error_handler__<node>} ({@link #ERROR_HANDLER_PREFIX}): streams show its
   * update under that name, and no other node may have it. Its retry policy is the graph's default
   * ({@link NodeDefaults#setRetry}), else none. A second call for the same node replaces the handler. With a
   * checkpointer, the failure is stored with the step: a run resumed after the handler itself failed (or the process
   * stopped) runs the handler again with the same context, not the failed node.
   */
  public StateGraph errorHandler(String node, AsyncNode handler) {
    errorHandlers.put(Objects.requireNonNull(node, "node"),
        new Handler(NodeKind.ASYNC, Objects.requireNonNull(handler, "handler"), null));
    return this;
  }

  /** {@link #errorHandler(String, AsyncNode)} for a handler in blocking style; it runs on a worker thread. */
  public StateGraph blockingErrorHandler(String node, BlockingNode handler) {
    errorHandlers.put(Objects.requireNonNull(node, "node"),
        new Handler(NodeKind.BLOCKING, null, Objects.requireNonNull(handler, "handler")));
    return this;
  }

  /**
   * Sets graph-wide node defaults (LangGraph 1.2.12's {@code set_node_defaults}): a default retry policy, cache
   * policy and error handler, applied at {@link #compile()} whenever this is called. The values {@code defaults} sets
   * replace earlier ones; those it leaves unset ({@code null}) keep them, as LangGraph's keyword arguments do. A
   * node's own retry policy, cache policy or handler always wins. See {@link NodeDefaults}.
   */
  public StateGraph setNodeDefaults(NodeDefaults defaults) {
    Objects.requireNonNull(defaults, "defaults");
    if (defaults.getRetry() != null) {
      nodeDefaults.setRetry(defaults.getRetry());
    }
    if (defaults.getCachePolicy() != null) {
      nodeDefaults.setCachePolicy(defaults.getCachePolicy());
    }
    if (defaults.handlerKind() == NodeKind.ASYNC) {
      nodeDefaults.errorHandler(defaults.asyncHandler());
    } else if (defaults.handlerKind() == NodeKind.BLOCKING) {
      nodeDefaults.blockingErrorHandler(defaults.blockingHandler());
    }
    return this;
  }

  /** A static edge: {@code to} runs in the step after {@code from} (use START and END for the ends). */
  public StateGraph addEdge(String from, String to) {
    edges.add(new String[] {Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to")});
    return this;
  }

  /**
   * A waiting join: {@code to} runs once, in the step after all of {@code from} have finished. A join into END is
   * accepted as LangGraph accepts it; as END runs nothing, it is an edge to END from each of {@code from} (the run ends
   * when nothing is due).
   */
  public StateGraph addEdge(List<String> from, String to) {
    if (END.equals(to) && from != null && !from.isEmpty() && from.stream().allMatch(Objects::nonNull)) {
      from.forEach(source -> addEdge(source, END));
      return this;
    }
    joins.add(new JoinEdge(from, Objects.requireNonNull(to, "to")));
    return this;
  }

  /** A conditional edge whose router returns node names (or END), and/or {@link Send}s (see {@link Router}). */
  public StateGraph addConditionalEdges(String source, Router router) {
    branches.add(new Branch(Objects.requireNonNull(source, "source"), Objects.requireNonNull(router, "router"), null));
    return this;
  }

  /** A conditional edge whose router returns keys of {@code pathMap}, which maps them to nodes (or END). */
  public StateGraph addConditionalEdges(String source, Router router, Map<String, String> pathMap) {
    branches.add(new Branch(Objects.requireNonNull(source, "source"), Objects.requireNonNull(router, "router"),
        Objects.requireNonNull(pathMap, "pathMap")));
    return this;
  }

  /** A conditional edge whose router returns one of {@code paths} (node names or END). */
  public StateGraph addConditionalEdges(String source, Router router, List<String> paths) {
    Map<String, String> pathMap = new LinkedHashMap<>();
    for (String path : paths) {
      pathMap.put(path, path);
    }
    return addConditionalEdges(source, router, pathMap);
  }

  /**
   * Static breakpoints: every run stops as interrupted before any of {@code nodes} runs; resuming the thread
   * (a run without input) goes on from there. {@link #ALL_NODES} ({@code "*"}) stops before every node, as
   * LangGraph's {@code interrupt_before="*"}. Per run, {@code RunOptions.setInterruptBefore} adds more.
   */
  public StateGraph interruptBefore(String... nodes) {
    interruptBefore.addAll(List.of(nodes));
    return this;
  }

  /**
   * Static breakpoints: every run stops as interrupted after the step in which any of {@code nodes} ran;
   * {@link #ALL_NODES} ({@code "*"}) stops after every step, as LangGraph's {@code interrupt_after="*"}.
   */
  public StateGraph interruptAfter(String... nodes) {
    interruptAfter.addAll(List.of(nodes));
    return this;
  }

  /** Same as {@code addEdge(START, node)}. */
  public StateGraph setEntryPoint(String node) {
    return addEdge(START, node);
  }

  /** Same as {@code addEdge(node, END)}. */
  public StateGraph setFinishPoint(String node) {
    return addEdge(node, END);
  }

  /**
   * Validates the graph and returns its immutable, runnable form.
   *
   * @throws io.graphloop.errors.GraphValidationException listing every problem found, each with its fix
   */
  public CompiledGraph compile() {
    return compile(null);
  }

  /**
   * Same as {@link #compile()}, with a cache for the writes of nodes that have a {@link CachePolicy} (LangGraph's
   * {@code compile(cache=...)}): a {@link io.graphloop.cache.MemoryNodeCache}, or a checkpoint store's
   * ({@code store.nodeCache(...)}) to share cached writes with every coordinator on that store. {@code null}: no
   * cache (cache policies are then ignored, as in LangGraph).
   */
  public CompiledGraph compile(io.graphloop.cache.NodeCache cache) {
    GraphValidator.check(this);
    return new CompiledGraph(this, GraphFlow.warnings(this), cache);
  }

  String name() {
    return name;
  }

  List<Map.Entry<String, Channel>> channels() {
    return channels;
  }

  /**
   * The nodes the compiled graph has, in LangGraph's order: the declared ones (with the graph's default retry and
   * cache policies where they set none), each node's own error handler ({@code __error_handler__<node>}) just before
   * it, and the default one ({@link #DEFAULT_ERROR_HANDLER}) last; handlers get the default retry policy only.
   */
  List<Declared> nodes() {
    if (errorHandlers.isEmpty() && nodeDefaults.getRetry() == null && nodeDefaults.getCachePolicy() == null
        && !nodeDefaults.hasErrorHandler()) {
      return nodes;
    }
    List<Declared> all = new ArrayList<>(nodes.size() + errorHandlers.size() + 1);
    for (Declared node : nodes) {
      Handler handler = errorHandlers.get(node.name());
      if (handler != null) { // just before its node, where LangGraph's add_node puts it (drawings list it there)
        all.add(withDefaultRetry(new Declared(ERROR_HANDLER_PREFIX + node.name(), handler.kind(), handler.async(),
            handler.blocking(), new NodeOptions(), null)));
      }
      all.add(withDefaultCache(withDefaultRetry(node)));
    }
    if (nodeDefaults.hasErrorHandler()) {
      all.add(withDefaultRetry(new Declared(DEFAULT_ERROR_HANDLER, nodeDefaults.handlerKind(),
          nodeDefaults.asyncHandler(), nodeDefaults.blockingHandler(), new NodeOptions(), null)));
    }
    return all;
  }

  /** The nodes as declared with {@code addNode} (without error handlers or defaults). */
  List<Declared> declaredNodes() {
    return nodes;
  }

  /** The nodes named in {@link #errorHandler} calls, in order. */
  java.util.Set<String> handledNodes() {
    return errorHandlers.keySet();
  }

  /** Whether a default error handler is set. */
  boolean hasDefaultErrorHandler() {
    return nodeDefaults.hasErrorHandler();
  }

  /** Whether {@code node} is the node of an error handler (its own node's, or the default one). */
  boolean isErrorHandler(String node) {
    return DEFAULT_ERROR_HANDLER.equals(node) && nodeDefaults.hasErrorHandler()
        || node.startsWith(ERROR_HANDLER_PREFIX) && errorHandlers.containsKey(node.substring(ERROR_HANDLER_PREFIX.length()));
  }

  /** The node of {@code node}'s error handler (its own, else the default), or null: none, or a handler itself. */
  String errorHandlerOf(String node) {
    if (isErrorHandler(node)) {
      return null;
    }
    if (errorHandlers.containsKey(node)) {
      return ERROR_HANDLER_PREFIX + node;
    }
    return nodeDefaults.hasErrorHandler() ? DEFAULT_ERROR_HANDLER : null;
  }

  private Declared withDefaultRetry(Declared node) {
    RetryPolicy retry = nodeDefaults.getRetry();
    if (retry == null || node.options().isRetrySet()) {
      return node;
    }
    return new Declared(node.name(), node.kind(), node.async(), node.blocking(),
        new NodeOptions(node.options()).setRetry(retry), node.subgraph());
  }

  /** {@code node} (no error handler) with the default cache policy when it sets none (LangGraph: regular nodes only). */
  private Declared withDefaultCache(Declared node) {
    CachePolicy cache = nodeDefaults.getCachePolicy();
    if (cache == null || node.options().getCachePolicy() != null) {
      return node;
    }
    return new Declared(node.name(), node.kind(), node.async(), node.blocking(),
        new NodeOptions(node.options()).setCachePolicy(cache), node.subgraph());
  }

  List<String[]> edges() {
    return edges;
  }

  List<JoinEdge> joins() {
    return joins;
  }

  List<Branch> branches() {
    return branches;
  }

  List<String> interruptBefore() {
    return interruptBefore;
  }

  List<String> interruptAfter() {
    return interruptAfter;
  }

  boolean isStrictChannels() {
    return strictChannels;
  }

  /** The declared input keys, or {@code null} for the default (see {@link #inputKeys(String...)}). */
  List<String> declaredInputKeys() {
    return inputKeys;
  }

  /** The declared output keys, or {@code null} for every channel (see {@link #outputKeys(String...)}). */
  List<String> declaredOutputKeys() {
    return outputKeys;
  }

  void outputType(Class<?> output) {
    this.outputType = output;
  }

  Class<?> outputType() {
    return outputType;
  }

  void stateTypes(Class<?> state, Class<?> input) {
    this.stateType = state;
    this.inputType = input;
  }

  Class<?> stateType() {
    return stateType;
  }

  Class<?> inputType() {
    return inputType;
  }
}
