package io.graphloop.store;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes reach the deployment's long-term store through {@code NodeContext.store()} (LangGraph's
 * {@code runtime.store}): what one run remembers (on any thread), another recalls. Without a configured store
 * the node fails with a message that says how to configure one.
 */
@ExtendWith(VertxExtension.class)
class NodeStoreTest {

  private static CompiledGraph memoryGraph() {
    return new StateGraph("memory")
        .addNode("recall", (state, ctx) -> ctx.store()
            .search(SearchRequest.under(List.of("users", state.getString("user"))))
            .map(items -> Map.<String, Object>of("recalled", items.stream()
                .map(item -> String.valueOf(item.value().get("fact"))).sorted().toList())))
        .addNode("remember", (state, ctx) -> ctx.store()
            .put(List.of("users", state.getString("user")), "fact-" + ctx.runId(), Map.of("fact", state.getString("fact")))
            .map(v -> Map.<String, Object>of()))
        .addEdge(START, "recall").addEdge("recall", "remember").addEdge("remember", END)
        .compile();
  }

  @Test
  void whatOneRunRemembersAnotherRecalls(Vertx vertx, VertxTestContext ctx) {
    InMemoryStore store = new InMemoryStore();
    GraphRuntime.deploy(vertx, memoryGraph(), new GraphRuntimeOptions().setStore(store))
        .compose(runtime -> runtime.client().invoke(Map.of("user", "alice", "fact", "likes tea"))
            .compose(first -> runtime.client().invoke(Map.of("user", "alice", "fact", "lives in Lyon")))
            .compose(second -> runtime.client().invoke(Map.of("user", "bob", "fact", "x")).map(third -> List.of(second, third))))
        .onComplete(ctx.succeeding(states -> ctx.verify(() -> {
          assertEquals(List.of("likes tea"), states.get(0).getList("recalled"), "the second run recalls the first's");
          assertEquals(List.of(), states.get(1).getList("recalled"), "another user's namespace is apart");
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeAskingForAStoreThatIsNotConfiguredFailsSayingHowToConfigureOne(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, memoryGraph())
        .compose(runtime -> runtime.client().invoke(Map.of("user", "alice", "fact", "f")))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertTrue(failure.getMessage().contains("setStore"), failure.getMessage());
          ctx.completeNow();
        })));
  }

}
