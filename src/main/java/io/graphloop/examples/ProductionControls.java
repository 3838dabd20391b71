package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's "Production controls": one graph using a node timeout, a retry policy, a concurrency limit, a
 * named worker pool, the run's configuration and the runtime's HTTP client; then runs with a concurrency limit,
 * a deadline and a cancellation. Run it with
 * {@code java -cp target/graphloop.jar io.graphloop.examples.ProductionControls}.
 *
 * <p>{@link #run(Vertx)} is used by a test, so the README's code stays true.
 */
public final class ProductionControls {

  private ProductionControls() {
  }

  /** The example graph; {@code llm} fails its first attempt of every run, to show the retry. */
  public static CompiledGraph graph() {
    return new StateGraph("controls")
        .addNode("llm", (state, ctx) -> {
          if (ctx.attempt() == 1) {
            return Future.failedFuture(new IOException("model API: 503"));   // transient: retried
          }
          return ctx.vertx().timer(20).map(t -> Map.of("answer", "attempt " + ctx.attempt() + " with model "
              + ctx.config().get("model")));
        }, new NodeOptions()
            .setTimeoutMs(5_000)                                           // per attempt
            .setRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(10).jitterMs(0).build())
            .setMaxConcurrency(8).setMaxQueued(1_000))                      // at most 8 model calls at once
        .addBlockingNode("db", (state, ctx) -> Map.of("rows", 3),          // JDBC would go here
            new NodeOptions().setWorkerPool("jdbc").setWorkerPoolSize(4))
        .addEdge(START, "llm").addEdge(START, "db").addEdge("llm", END).addEdge("db", END)
        .compile();
  }

  /** Deploys the graph, runs it under each control, and undeploys it; the future holds a short report. */
  public static Future<String> run(Vertx vertx) {
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setMaxInFlightRuns(1_000)               // per coordinator; beyond it runs are refused with code 503
        .setNodeTimeoutMs(30_000)                // default for nodes that set none
        .setBlockedNodeThresholdMs(100);         // async nodes holding their event loop longer are reported
    return GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> {
      GraphClient client = runtime.client();
      RunOptions runOptions = new RunOptions()
          .setMaxConcurrency(2)                  // at most 2 node executions of this run at once
          .setTimeoutMs(10_000)                  // the run's deadline
          .setRecursionLimit(50)
          .setConfig(new JsonObject().put("model", "small"));
      return client.invoke(Map.of(), runOptions)
          .compose(state -> cancelOne(vertx).map(cancelled -> report(state, cancelled, runtime)))
          .eventually(runtime::undeploy);
    });
  }

  /** Starts a slow run and cancels it by id; the failure keeps the run's last completed state. */
  private static Future<String> cancelOne(Vertx vertx) {
    CompiledGraph slow = new StateGraph("slow")
        .addNode("first", state -> Future.succeededFuture(Map.of("first", "done")))
        .addNode("wait", (state, ctx) -> ctx.vertx().timer(60_000).map(t -> Map.of()))
        .addEdge(START, "first").addEdge("first", "wait").addEdge("wait", END).compile();
    return GraphRuntime.deploy(vertx, slow).compose(runtime -> {
      GraphClient client = runtime.client();
      Future<State> running = client.invoke(Map.of(), new RunOptions().setRunId("run-to-cancel"));
      return vertx.timer(100)
          .compose(t -> client.cancel("run-to-cancel"))
          .compose(cancelled -> running.transform(outcome -> Future.succeededFuture(
              "cancelled=" + cancelled + " lastState=" + ((RunCancelledException) outcome.cause()).lastState())))
          .eventually(runtime::undeploy);
    });
  }

  private static String report(State state, String cancelled, GraphRuntime runtime) {
    return "state=" + state + " retries=" + runtime.metrics().node("llm").retries() + " " + cancelled;
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx).onComplete(result -> {
      System.out.println(result.succeeded() ? result.result() : "failed: " + result.cause());
      vertx.close();
    });
  }
}
