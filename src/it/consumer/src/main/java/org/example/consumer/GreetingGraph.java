package org.example.consumer;

import io.graphloop.cluster.GraphProvider;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The application's graph. It is called "seed" on purpose: the library's own demo graph has that name too, and an
 * application must be free to use it (the library registers no graph of its own).
 */
public final class GreetingGraph implements GraphProvider {

  public static final String NAME = "seed";

  @Override
  public Set<String> names() {
    return Set.of(NAME);
  }

  @Override
  public CompiledGraph graph(String name) {
    return build();
  }

  /** {@code START -> (hello, world) -> END}; both append to {@code words}, {@code count} counts the runs. */
  public static CompiledGraph build() {
    return new StateGraph(NAME)
        .channel("words", Channels.append())
        .addNode("hello", (state, ctx) -> ctx.vertx().timer(5).map(t -> Map.<String, Object>of("words", List.of(
            "hello " + state.getString("name")))))
        .addNode("world", state -> Future.succeededFuture(Map.of("words", List.of("world"),
            "count", state.getInteger("count") == null ? 1 : state.getInteger("count") + 1)))
        .addEdge(START, "hello")
        .addEdge(START, "world")
        .addEdge("hello", END)
        .addEdge("world", END)
        .compile();
  }
}
