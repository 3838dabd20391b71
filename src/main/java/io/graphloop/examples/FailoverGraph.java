package io.graphloop.examples;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * A graph built to show failover on a cluster: {@code START -> double -> increment -> END}, two slow async steps
 * (each waits {@code delayMs} from the input, default {@value #DEFAULT_DELAY_MS} ms, on a timer) with a per-attempt
 * timeout and a retry policy, so that a node whose member dies mid-execution is tried again, possibly on another
 * member. Input {@code {"x": 20}} ends with {@code result} {@code 2 * x + 1}.
 *
 * <p>Each step also appends one entry to the {@code trace} channel, {@code {"node", "member", "attempt"}}, where
 * {@code member} is the process id of the JVM that ran it: the trace shows which member did the work, and, since only
 * the attempt that answered in time has its writes applied, it holds exactly one entry per step however many
 * attempts there were. A node with side effects outside the state would key them by {@code ctx.runId()},
 * {@code ctx.step()} and {@code ctx.node()} to make them idempotent (an attempt that timed out may still have run).
 *
 * <p>The compiled graph is immutable and can be deployed on any number of Vert.x instances.
 */
public final class FailoverGraph {

  /** How long each step waits when the input names no {@code delayMs}. */
  public static final long DEFAULT_DELAY_MS = 300;
  /** Each attempt's timeout: a member that died is given up after this long. */
  public static final long TIMEOUT_MS = 1_500;
  /** Attempts per step: up to 6, 0.2 s after the first failure, doubling up to 2 s (plus up to 0.1 s jitter). */
  public static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(6).initialIntervalMs(200)
      .backoffFactor(2).maxIntervalMs(2_000).jitterMs(100).build();

  private static final long MAX_DELAY_MS = 10_000;

  private FailoverGraph() {
  }

  /** The graph named {@code name}. */
  public static CompiledGraph build(String name) {
    return build(name, RETRY);
  }

  /**
   * The graph named {@code name} with retry policy {@code retry} on both nodes (the retry policy is the
   * coordinator's: workers may host the graph built with the default one).
   */
  public static CompiledGraph build(String name, RetryPolicy retry) {
    return build(name, retry, TIMEOUT_MS);
  }

  /**
   * The graph named {@code name} with retry policy {@code retry} and each attempt's timeout {@code timeoutMs} on both
   * nodes (both are the coordinator's: workers may host the graph built with the defaults).
   */
  public static CompiledGraph build(String name, RetryPolicy retry, long timeoutMs) {
    NodeOptions options = new NodeOptions().setTimeoutMs(timeoutMs).setRetry(retry);
    return new StateGraph(name)
        .channel("trace", Channels.append())
        .addNode("double", (state, ctx) -> after(ctx, state,
            Map.of("doubled", 2 * number(state, "x"), "trace", List.of(trace(ctx)))), options)
        .addNode("increment", (state, ctx) -> after(ctx, state,
            Map.of("result", number(state, "doubled") + 1, "trace", List.of(trace(ctx)))), options)
        .addEdge(START, "double")
        .addEdge("double", "increment")
        .addEdge("increment", END)
        .compile();
  }

  /** The expected {@code result} for input {@code x}. */
  public static long expectedResult(long x) {
    return 2 * x + 1;
  }

  private static Future<Map<String, Object>> after(NodeContext ctx, State state, Map<String, Object> update) {
    Long delay = state.getLong("delayMs");
    long ms = Math.max(0, Math.min(MAX_DELAY_MS, delay == null ? DEFAULT_DELAY_MS : delay));
    return ms == 0 ? Future.succeededFuture(update) : ctx.vertx().timer(ms).map(done -> update);
  }

  private static long number(State state, String channel) {
    Long value = state.getLong(channel);
    return value == null ? 0 : value;
  }

  private static Map<String, Object> trace(NodeContext ctx) {
    return Map.of("node", ctx.node(), "member", ProcessHandle.current().pid(), "attempt", ctx.attempt());
  }
}
