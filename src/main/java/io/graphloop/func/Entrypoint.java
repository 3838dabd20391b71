package io.graphloop.func;

import io.graphloop.errors.GraphInterrupt;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.FunctionCalls;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunResult;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * LangGraph's {@code @entrypoint} in Java form: a function from an input to a future of its output, which calls
 * {@link Task}s through its {@link FunctionContext}. {@link #compile()} turns it into an ordinary graph with one node
 * (named after the entrypoint), which is deployed, run on threads, streamed, served and clustered as any graph:
 *
 * <pre>{@code
 * Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> Future.succeededFuture(x + 1));
 * CompiledGraph workflow = Entrypoint.<Integer, Object>of("workflow", (x, ctx) ->
 *     ctx.call(addOne, x).map(y -> Map.of("y", y, "answer", ctx.interrupt("ok?")))).compile();
 * }</pre>
 *
 * <p>The graph's state has three channels: {@value #INPUT} (the run's input: start a run with
 * {@link #input(Object)}), {@value #OUTPUT} (the value the entrypoint returned: read it with {@link #output}) and
 * {@value #PREVIOUS} (what the run saved for the thread's next run, {@link FunctionContext#previous()}). Returning a
 * {@link Final} separates the two. On a thread each task call's result is stored as it completes; when the entrypoint
 * runs again for the same step (a resume after an {@code interrupt}, a crash, a retry) it runs from its start, and
 * the calls that had completed return their stored results without running again.
 *
 * <p>Immutable and thread-safe; the function must be thread-safe (it may run on several event loops at once).
 *
 * @param <I> the input type (JSON-compatible: it travels in the run's input)
 * @param <O> the output type
 */
public final class Entrypoint<I, O> {

  /** The channel holding the run's input. */
  public static final String INPUT = "input";
  /** The channel holding the entrypoint's output. */
  public static final String OUTPUT = "output";
  /** The channel holding the value saved for the thread's next run. */
  public static final String PREVIOUS = "previous";

  /** An entrypoint's function. */
  @FunctionalInterface
  public interface Body<I, O> {
    /**
     * Starts the entrypoint's work on {@code input}; the future holds its output (of type {@code O}) or a
     * {@link Final}. A thrown exception or a failed future fails the run (an interrupt stops it as interrupted).
     */
    Future<?> apply(I input, FunctionContext context) throws Exception;
  }

  private final String name;
  private final Body<I, O> body;
  private final NodeOptions options;

  private Entrypoint(String name, Body<I, O> body, NodeOptions options) {
    this.name = Task.checkName(name);
    this.body = Objects.requireNonNull(body, "body");
    this.options = options;
  }

  /** An entrypoint named {@code name}: the graph's name and its node's. */
  public static <I, O> Entrypoint<I, O> of(String name, Body<I, O> body) {
    return new Entrypoint<>(name, body, null);
  }

  /** This entrypoint with its node's options (retry policy, timeout, ...). */
  public Entrypoint<I, O> withOptions(NodeOptions options) {
    return new Entrypoint<>(name, body, Objects.requireNonNull(options, "options"));
  }

  /**
   * This entrypoint with a timeout policy (LangGraph's {@code @entrypoint(timeout=...)}): its node's options (those
   * given to {@link #withOptions}, or defaults) with {@link NodeOptions#setTimeout}. The idle timeout is refreshed by
   * the entrypoint's progress and its task calls' (their events, message chunks and heartbeats); a task call started
   * before the timeout runs on, as in LangGraph.
   */
  public Entrypoint<I, O> withTimeout(io.graphloop.graph.TimeoutPolicy policy) {
    NodeOptions copy = options == null ? new NodeOptions() : new NodeOptions(options);
    return new Entrypoint<>(name, body, copy.setTimeout(Objects.requireNonNull(policy, "policy")));
  }

  /** The entrypoint's name. */
  public String name() {
    return name;
  }

  /** The graph: {@code START -> name -> END} over the channels {@value #INPUT}, {@value #OUTPUT}, {@value #PREVIOUS}. */
  public CompiledGraph compile() {
    StateGraph graph = new StateGraph(name).channel(INPUT, Channels.lastValue()).channel(OUTPUT, Channels.lastValue())
        .channel(PREVIOUS, Channels.lastValue()).strictChannels();
    Node node = new Node();
    if (options == null) {
      graph.addNode(name, node);
    } else {
      graph.addNode(name, node, options);
    }
    return graph.addEdge(StateGraph.START, name).addEdge(name, StateGraph.END).compile();
  }

  /** A run's input for {@code value}: {@code {"input": value}}. */
  public static Map<String, Object> input(Object value) {
    Map<String, Object> input = new HashMap<>();
    input.put(INPUT, value);
    return input;
  }

  /** The output of a run of an entrypoint (its {@value #OUTPUT} channel; {@code null} before it returned). */
  public static Object output(RunResult result) {
    return result.values() == null ? null : result.values().get(OUTPUT);
  }

  /**
   * The interrupt the entrypoint's node stops with: as the runtime reports a task standing for interrupts with ids of
   * their own (a list of {@code {"id", "node", "taskId", "value"}}), here the one interrupt that stopped the
   * entrypoint, under the id of the call (or body) that asked, as LangGraph reports the interrupt its entrypoint
   * raised.
   */
  private static GraphInterrupt reported(GraphInterrupt interrupt, CallScope scope, NodeContext context) {
    Map<String, Object> entry = new java.util.LinkedHashMap<>();
    entry.put("id", interrupt instanceof CallInterrupt ? ((CallInterrupt) interrupt).id() : scope.interruptId());
    entry.put("node", context.node());
    entry.put("taskId", scope.scopeId());
    entry.put("value", interrupt.payload());
    Map<String, Integer> answered = scope.answered();
    if (!answered.isEmpty()) { // which answers were taken: the runtime keeps only those of the resume map (then drops this)
      entry.put(FunctionCalls.ANSWERED, answered);
    }
    return new GraphInterrupt(io.graphloop.state.Values.freeze(java.util.List.of(entry), "an interrupt"), context.graph(),
        context.runId(), context.step(), context.node());
  }

  /** The entrypoint's node: runs the body with a {@link CallScope}, writes its output and saved value. */
  private final class Node implements AsyncNode, FunctionCalls.Caller {
    @Override
    @SuppressWarnings("unchecked")
    public Future<?> apply(State state, NodeContext context) throws Exception {
      CallScope scope = new CallScope(context, state.get(PREVIOUS));
      Future<?> result;
      try {
        result = body.apply((I) state.get(INPUT), scope);
      } catch (Exception e) {
        result = Future.failedFuture(e);
      }
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("Entrypoint '" + name + "' returned a null future; "
            + "return Future.succeededFuture(null) for no output."));
      }
      // its outcome is reported once the calls it started have settled (a completed call is stored even then)
      Future<?> outcome = result;
      return scope.settled().transform(settled -> outcome).recover(failure -> Future.failedFuture(
          failure instanceof GraphInterrupt ? reported((GraphInterrupt) failure, scope, context) : failure)).map(value -> {
        Map<String, Object> update = new HashMap<>();
        update.put(OUTPUT, value instanceof Final ? ((Final) value).value() : value);
        update.put(PREVIOUS, value instanceof Final ? ((Final) value).save() : value);
        return update;
      });
    }
  }
}
