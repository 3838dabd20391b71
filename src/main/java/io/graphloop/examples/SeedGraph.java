package io.graphloop.examples;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The seed's demonstration graph: {@code start -> (llm, db) -> END}, where {@code llm} and {@code db}
 * each wait {@code latencyMs} without blocking ({@link NodeContext#delay}, standing in for network latency; until
 * issue 17's burst work it was a Vert.x timer per wait, {@code ctx.vertx().timer(latencyMs)}). Both
 * run in the same superstep, so a run takes about one latency, not two.
 *
 * <p>The compiled graph is immutable and can be deployed on any number of Vert.x instances.
 */
public final class SeedGraph {

  private SeedGraph() {
  }

  /** The seed graph named {@code name}, with {@code latencyMs} of simulated I/O per model/database call. */
  public static CompiledGraph build(String name, long latencyMs) {
    return new StateGraph(name)
        .addNode("start", state -> Future.succeededFuture())
        .addNode("llm", (state, ctx) -> after(ctx, latencyMs,
            Map.of("llm_result", "LLM answer for: " + state.getString("query"))))
        .addNode("db", (state, ctx) -> after(ctx, latencyMs,
            Map.of("db_result", "DB result for: " + state.getString("query"))))
        .addEdge(START, "start")
        .addEdge("start", "llm")
        .addEdge("start", "db")
        .addEdge("llm", END)
        .addEdge("db", END)
        .compile();
  }

  private static Future<Map<String, Object>> after(NodeContext ctx, long latencyMs, Map<String, Object> update) {
    if (latencyMs <= 0) {
      return Future.succeededFuture(update);
    }
    return ctx.delay(latencyMs, update);
  }

  /** The seed's input. */
  public static Map<String, Object> input() {
    return Map.of("query", "LangGraph async nodes");
  }

  /** Reads the seed's result fields, for checks. */
  public static boolean isComplete(State state) {
    return state.has("query") && state.has("llm_result") && state.has("db_result");
  }
}
