package io.graphloop.examples;

import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefaults;
import io.graphloop.graph.NodeError;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Error handlers and node defaults (LangGraph 1.2.12's {@code add_node(..., error_handler=...)} and
 * {@code set_node_defaults}): a "search" node that always fails is retried twice (the graph's default retry policy),
 * then its own handler routes the run to a "fallback" node with a Command; any other node that fails is caught by the
 * graph's default handler.
 *
 * <p>Run with {@code java -cp target/graphloop.jar io.graphloop.examples.ErrorHandling}; prints
 * {@code fallback answer (search failed after 2 attempts: search is down)}.
 */
public final class ErrorHandling {

  private ErrorHandling() {
  }

  /** The graph. */
  public static CompiledGraph graph() {
    return new StateGraph("error-handling")
        .setNodeDefaults(new NodeDefaults()
            .setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(10).build())
            .errorHandler((state, ctx) -> Future.succeededFuture(                // any node without its own handler
                Map.of("answer", "gave up: " + ctx.nodeError()))))
        .addNode("search", (state, ctx) -> Future.failedFuture(new IllegalStateException("search is down")))
        .errorHandler("search", (state, ctx) -> {                             // after the retries are used up
          NodeError error = ctx.nodeError();
          return Future.succeededFuture(Command.of(Map.of("note", error.node() + " failed after "
              + error.attempts() + " attempts: " + error.message()), "fallback"));
        })
        .addNode("fallback", (state, ctx) -> Future.succeededFuture(
            Map.of("answer", "fallback answer (" + state.getString("note") + ")")),
            new NodeOptions().setRetry(RetryPolicy.none()))                  // its own policy wins over the default
        .addEdge(START, "search").addEdge("search", END).addEdge("fallback", END)
        .compile();
  }

  /** Runs the graph; the future holds its answer. */
  public static Future<String> run(Vertx vertx) {
    return GraphRuntime.deploy(vertx, graph()).compose(runtime -> runtime.client()
        .invoke(Map.of("question", "weather?"))
        .map(state -> state.getString("answer"))
        .eventually(runtime::undeploy));
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx)
        .onSuccess(System.out::println)
        .onFailure(failure -> System.err.println("Run failed: " + failure.getMessage()))
        .eventually(vertx::close);
  }
}
