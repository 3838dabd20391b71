package io.graphloop.graph;

import io.graphloop.state.Append;
import io.graphloop.state.Reduce;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link StateGraph} over a Java record or a JavaBean: each record component (bean property) is a channel
 * (last-value, or as its {@link Append}/{@link Reduce} annotation says), nodes receive the state as the record (bean)
 * and return a partial one (its non-null components or properties are the update), so a node's update is checked by
 * the compiler. Made by {@link StateGraph#typed(String, Class)}. A bean is a public class with a public no-argument
 * constructor whose properties are getter/setter pairs or public fields, as Jackson reads and writes them (see
 * {@code StateProperty}); it behaves as a record does, and a node returns a new bean with only its written
 * properties set.
 *
 * <pre>{@code
 * record Research(String topic, @Append List<String> notes, Integer revision) {}
 *
 * CompiledGraph graph = StateGraph.typed("research", Research.class)
 *     .addNode("search", s -> Future.succeededFuture(new Research(null, List.of("web: " + s.topic()), null)))
 *     .addEdge(START, "search").addEdge("search", END)
 *     .compile();
 * }</pre>
 *
 * <p>The compiled graph is an ordinary {@link CompiledGraph}: it runs over the event bus and in checkpoints as
 * JSON, and a run's {@code State} reads back as the record with {@code state.as(Research.class)}. A node's write
 * outside the record's components is dropped, as LangGraph drops writes outside its state schema (strict channels); a run's input keys outside them (or outside
 * {@link #inputType}) are dropped, as LangGraph drops input keys outside its input schema. The untyped
 * {@link StateGraph} API is unchanged.
 *
 * <p>A builder: not thread-safe; build on one thread, then share the compiled graph.
 *
 * @param <S> the state record or bean
 */
public final class TypedStateGraph<S> {

  private final TypedSchema<S> schema;
  private final StateGraph graph;

  TypedStateGraph(String name, Class<S> type) {
    this.schema = TypedSchema.of(type);
    this.graph = new StateGraph(name).strictChannels();
    schema.channels().forEach(graph::channel);
    graph.stateTypes(type, null);
  }

  /** The state record or bean. */
  public Class<S> stateType() {
    return schema.type();
  }

  /** {@code state} as the record or bean (unset channels are null). */
  public S read(State state) {
    return schema.read(state);
  }

  /** A run's input from a partial record or bean: its non-null components or properties. */
  public Map<String, Object> input(S partial) {
    return schema.partial(Objects.requireNonNull(partial, "partial"));
  }

  /** Adds an async node (see {@link TypedNode}). */
  public TypedStateGraph<S> addNode(String name, TypedNode<S> node) {
    return addNode(name, node, new NodeOptions());
  }

  /** Adds an async node that needs only the state. */
  public TypedStateGraph<S> addNode(String name, Function<S, Future<S>> node) {
    Objects.requireNonNull(node, "node");
    return addNode(name, (state, context) -> node.apply(state), new NodeOptions());
  }

  /** Adds an async node with options. */
  public TypedStateGraph<S> addNode(String name, TypedNode<S> node, NodeOptions options) {
    Objects.requireNonNull(node, "node");
    graph.addNode(name, (state, context) -> {
      Future<S> output = node.apply(schema.read(state), context);
      return output == null ? null : output.map(this::partialOrNull);
    }, options);
    return this;
  }

  /** Adds an async node that returns an {@link Update} (null components, goto). */
  public TypedStateGraph<S> addUpdateNode(String name, TypedUpdateNode<S> node) {
    return addUpdateNode(name, node, new NodeOptions());
  }

  /** Adds an async node that needs only the state and returns an {@link Update}. */
  public TypedStateGraph<S> addUpdateNode(String name, Function<S, Future<Update<S>>> node) {
    return addUpdateNode(name, node, new NodeOptions());
  }

  /** Adds an async node that needs only the state and returns an {@link Update}, with options. */
  public TypedStateGraph<S> addUpdateNode(String name, Function<S, Future<Update<S>>> node, NodeOptions options) {
    Objects.requireNonNull(node, "node");
    return addUpdateNode(name, (state, context) -> node.apply(state), options);
  }

  /** Adds an async node that returns an {@link Update}, with options (e.g. its destinations). */
  public TypedStateGraph<S> addUpdateNode(String name, TypedUpdateNode<S> node, NodeOptions options) {
    graph.addNode(name, untyped(name, node), options);
    return this;
  }

  /**
   * Gives node {@code node} an error handler (see {@link StateGraph#errorHandler(String, AsyncNode)}): it reads the
   * failure with {@code ctx.nodeError()} and returns an {@link Update}, whose {@code goTo} routes the run on.
   */
  public TypedStateGraph<S> errorHandler(String node, TypedUpdateNode<S> handler) {
    graph.errorHandler(node, untyped(StateGraph.ERROR_HANDLER_PREFIX + node, handler));
    return this;
  }

  /**
   * Graph-wide node defaults (see {@link StateGraph#setNodeDefaults}); for a typed default error handler, see
   * {@link #defaultErrorHandler}.
   */
  public TypedStateGraph<S> setNodeDefaults(NodeDefaults defaults) {
    graph.setNodeDefaults(defaults);
    return this;
  }

  /** The default error handler of every node without one of its own (see {@link NodeDefaults#errorHandler}). */
  public TypedStateGraph<S> defaultErrorHandler(TypedUpdateNode<S> handler) {
    graph.setNodeDefaults(new NodeDefaults().errorHandler(untyped(StateGraph.DEFAULT_ERROR_HANDLER, handler)));
    return this;
  }

  /** {@code node} (named {@code name}) as an untyped node: reads the record, writes its {@link Update}'s channels. */
  private AsyncNode untyped(String name, TypedUpdateNode<S> node) {
    Objects.requireNonNull(node, "node");
    return (state, context) -> {
      Future<Update<S>> output = node.apply(schema.read(state), context);
      return output == null ? null : output.map(update -> {
        if (update == null) {
          return null;
        }
        return update.resolved(schema, name).toOutput();
      });
    };
  }

  /** Adds a blocking node (see {@link TypedBlockingNode}); it always runs on a worker thread. */
  public TypedStateGraph<S> addBlockingNode(String name, TypedBlockingNode<S> node) {
    return addBlockingNode(name, node, new NodeOptions());
  }

  /** Adds a blocking node that needs only the state. */
  public TypedStateGraph<S> addBlockingNode(String name, Function<S, S> node) {
    Objects.requireNonNull(node, "node");
    return addBlockingNode(name, (state, context) -> node.apply(state), new NodeOptions());
  }

  /** Adds a blocking node with options. */
  public TypedStateGraph<S> addBlockingNode(String name, TypedBlockingNode<S> node, NodeOptions options) {
    Objects.requireNonNull(node, "node");
    graph.addBlockingNode(name, (state, context) -> partialOrNull(node.apply(schema.read(state), context)), options);
    return this;
  }

  /** Adds a compiled graph as a node (see {@link StateGraph#addSubgraph(String, CompiledGraph)}). */
  public TypedStateGraph<S> addSubgraph(String name, CompiledGraph subgraph) {
    graph.addSubgraph(name, subgraph);
    return this;
  }

  /** Adds a subgraph node with its mapping and persistence (see {@link StateGraph#addSubgraph(String, Subgraph)}). */
  public TypedStateGraph<S> addSubgraph(String name, Subgraph subgraph) {
    graph.addSubgraph(name, subgraph);
    return this;
  }

  /** A static edge (see {@link StateGraph#addEdge(String, String)}). */
  public TypedStateGraph<S> addEdge(String from, String to) {
    graph.addEdge(from, to);
    return this;
  }

  /** A waiting join (see {@link StateGraph#addEdge(List, String)}). */
  public TypedStateGraph<S> addEdge(List<String> from, String to) {
    graph.addEdge(from, to);
    return this;
  }

  /** A conditional edge whose router sees the record (see {@link StateGraph#addConditionalEdges(String, Router)}). */
  public TypedStateGraph<S> addConditionalEdges(String source, TypedRouter<S> router) {
    graph.addConditionalEdges(source, router(router));
    return this;
  }

  /** A conditional edge with a path map. */
  public TypedStateGraph<S> addConditionalEdges(String source, TypedRouter<S> router, Map<String, String> pathMap) {
    graph.addConditionalEdges(source, router(router), pathMap);
    return this;
  }

  /** A conditional edge that returns one of {@code paths}. */
  public TypedStateGraph<S> addConditionalEdges(String source, TypedRouter<S> router, List<String> paths) {
    graph.addConditionalEdges(source, router(router), paths);
    return this;
  }

  /**
   * The input schema (LangGraph's {@code input_schema}): a run's input writes only the components (properties) of
   * record (bean) {@code input}, each of which must be one of the state's; its other keys are dropped. Without this
   * call the input schema is the state type.
   *
   * @throws IllegalArgumentException when {@code input} is neither a record nor a bean, or one of its components is
   *                                  not one of the state's
   */
  public TypedStateGraph<S> inputType(Class<?> input) {
    graph.inputKeys(componentsOf(input, "input"));
    graph.stateTypes(schema.type(), input);
    return this;
  }

  /**
   * The output schema (LangGraph's {@code output_schema}): a run's result ({@code RunResult.values()}) and, used as a
   * subgraph, what its node writes to the parent are the components (properties) of record (bean) {@code output}, each
   * of which must be one of the state's (see {@link StateGraph#outputKeys}). Without this call the output schema is
   * the state type.
   *
   * @throws IllegalArgumentException when {@code output} is neither a record nor a bean, or one of its components is
   *                                  not one of the state's
   */
  public TypedStateGraph<S> outputType(Class<?> output) {
    graph.outputKeys(componentsOf(output, "output"));
    graph.outputType(output);
    return this;
  }

  private String[] componentsOf(Class<?> type, String kind) {
    List<StateProperty> components = StateProperty.of(Objects.requireNonNull(type, kind));
    String[] keys = new String[components.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = components.get(i).name();
      if (!schema.channels().containsKey(keys[i])) {
        throw new IllegalArgumentException("Component '" + keys[i] + "' of " + kind + " type " + type.getSimpleName()
            + " is not a component of state type " + schema.type().getSimpleName() + " (" + schema.channels().keySet()
            + "); an " + kind + " schema names state components only.");
      }
    }
    return keys;
  }


  /** Static breakpoints before {@code nodes} (see {@link StateGraph#interruptBefore}). */
  public TypedStateGraph<S> interruptBefore(String... nodes) {
    graph.interruptBefore(nodes);
    return this;
  }

  /** Static breakpoints after {@code nodes} (see {@link StateGraph#interruptAfter}). */
  public TypedStateGraph<S> interruptAfter(String... nodes) {
    graph.interruptAfter(nodes);
    return this;
  }

  /** Same as {@code addEdge(START, node)}. */
  public TypedStateGraph<S> setEntryPoint(String node) {
    graph.setEntryPoint(node);
    return this;
  }

  /** Same as {@code addEdge(node, END)}. */
  public TypedStateGraph<S> setFinishPoint(String node) {
    graph.setFinishPoint(node);
    return this;
  }

  /** Validates the graph (see {@link StateGraph#compile()}). */
  public CompiledGraph compile() {
    return graph.compile();
  }

  /** Validates the graph, with a cache of node writes (see {@link StateGraph#compile(io.graphloop.cache.NodeCache)}). */
  public CompiledGraph compile(io.graphloop.cache.NodeCache cache) {
    return graph.compile(cache);
  }

  private Map<String, Object> partialOrNull(S partial) {
    return partial == null ? null : schema.partial(partial);
  }

  private Router router(TypedRouter<S> router) {
    Objects.requireNonNull(router, "router");
    return state -> router.route(schema.read(state));
  }
}
