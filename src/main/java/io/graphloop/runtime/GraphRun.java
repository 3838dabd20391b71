package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a compiled graph once without ceremony, for a script or a test: a private {@link Vertx} is made, the graph
 * deployed on it ({@link GraphRuntime#deploy}), the run made, and the {@code Vertx} closed (everything undeployed,
 * the checkpoint store closed) before the result is handed back, whether the run succeeded or failed.
 *
 * <pre>{@code
 * State done = GraphRun.once(graph, Map.of("topic", "loops"));          // blocks a plain thread
 * GraphRun.onceAsync(graph, Map.of("topic", "loops")).onSuccess(...);   // the same as a Future
 * }</pre>
 *
 * <p>Thread rules: {@link #once} blocks its caller and refuses an event-loop thread; {@link #onceAsync} never
 * blocks. In an application that already has a {@code Vertx}, use {@link GraphRuntime#deploy} instead: a private
 * {@code Vertx} per run costs threads and start-up time.
 */
public final class GraphRun {

  private GraphRun() {
  }

  /** Runs {@code graph} once on {@code input} with default options; the future completes after the private Vertx closed. */
  public static Future<State> onceAsync(CompiledGraph graph, Map<String, ?> input) {
    return onceAsync(graph, input, new GraphRuntimeOptions(), new RunOptions()).map(RunResult::values);
  }

  /**
   * Runs {@code graph} once on {@code input} with these options (e.g. a checkpointer and a thread id: the store is
   * closed afterwards, so use a file or PostgreSQL store to keep the thread).
   */
  public static Future<RunResult> onceAsync(CompiledGraph graph, Map<String, ?> input, GraphRuntimeOptions options,
                                            RunOptions runOptions) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(runOptions, "runOptions");
    Vertx vertx = Vertx.vertx();
    Promise<RunResult> done = Promise.promise();
    GraphRuntime.deploy(vertx, graph, options)
        .compose(runtime -> runtime.client().run(input, runOptions))
        .onComplete(outcome -> vertx.close().onComplete(closed -> done.handle(outcome)));
    return done.future();
  }

  /**
   * Runs {@code graph} once on {@code input}, waiting on the calling thread; the private Vertx is closed when this
   * returns.
   *
   * @throws IllegalStateException when called on an event-loop thread (compose {@link #onceAsync} there)
   * @throws io.graphloop.errors.GraphloopException when the run fails, as it fails the future
   */
  public static State once(CompiledGraph graph, Map<String, ?> input) {
    return once(graph, input, new GraphRuntimeOptions(), new RunOptions()).values();
  }

  /** {@link #once(CompiledGraph, Map)} with options; waits at most the run's timeout plus a minute to close. */
  public static RunResult once(CompiledGraph graph, Map<String, ?> input, GraphRuntimeOptions options,
                               RunOptions runOptions) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("GraphRun.once() was called on event-loop thread '"
          + Thread.currentThread().getName() + "'; waiting there would block it. Use GraphRun.onceAsync(...) and "
          + "compose the Future, or GraphRuntime.deploy on the Vertx you have.");
    }
    long timeoutMs = runOptions.getTimeoutMs() > 0 ? runOptions.getTimeoutMs() : 0;
    try {
      var result = onceAsync(graph, input, options, runOptions).toCompletionStage().toCompletableFuture();
      return timeoutMs == 0 ? result.get() : result.get(timeoutMs + 60_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
          : new IllegalStateException("Run of graph '" + graph.name() + "' failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Graph '" + graph.name() + "' did not finish (and close) within "
          + (timeoutMs + 60_000) + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running graph '" + graph.name() + "'", e);
    }
  }
}
