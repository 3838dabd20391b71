package io.graphloop.examples;

import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Node caching (LangGraph's {@code CachePolicy}): a slow "embed" node whose writes are cached by the text it embeds,
 * for ten minutes. The second run with the same text is served from the cache; the node runs once.
 *
 * <p>Run with {@code java -cp target/graphloop.jar io.graphloop.examples.CachedNodes}; prints
 * {@code [0.42, 5.0] [0.42, 5.0] embed ran 1 time(s)}.
 */
public final class CachedNodes {

  private CachedNodes() {
  }

  /** The graph; {@code runs} counts the executions of "embed". */
  public static CompiledGraph graph(AtomicInteger runs) {
    return new StateGraph("cached-nodes")
        .addNode("embed", (state, ctx) -> {
          runs.incrementAndGet();
          return ctx.vertx().timer(100)                                  // stands in for a model call
              .map(t -> Map.of("vector", List.of(0.42, (double) state.getString("text").length())));
        }, new NodeOptions().setCachePolicy(CachePolicy
            .keyedBy(state -> state.getString("text"))                   // equal texts share an entry
            .withTtl(Duration.ofMinutes(10))))
        .addEdge(START, "embed").addEdge("embed", END)
        .compile(new MemoryNodeCache());                                 // or store.nodeCache() to share it
  }

  /** Runs the graph twice on the same text; the future holds both vectors and how often "embed" ran. */
  public static Future<String> run(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    return GraphRuntime.deploy(vertx, graph(runs)).compose(runtime -> runtime.client()
        .invoke(Map.of("text", "hello", "user", "a"))
        .compose(first -> runtime.client().invoke(Map.of("text", "hello", "user", "b"))
            .map(second -> first.getList("vector") + " " + second.getList("vector") + " embed ran " + runs.get()
                + " time(s)"))
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
