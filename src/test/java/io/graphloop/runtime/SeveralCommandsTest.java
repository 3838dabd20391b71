package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A node returning several Commands (and update maps) in a list, as LangGraph 1.2.12 reads it (mirrors the
 * multiple-Command tests of LangGraph's {@code test_pregel.py}; expected values produced by LangGraph 1.2.12, see
 * {@code src/test/resources/langgraph/command_resume_update.py}): every update is written, every goto runs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SeveralCommandsTest {

  private static GraphClient deploy(Vertx vertx, String name, Object output) {
    CompiledGraph graph = new StateGraph(name).channel("items", Channels.append())
        .addNode("multi", (state, ctx) -> Future.succeededFuture(output), new NodeOptions().setDestinations(List.of("x", "y")))
        .addNode("x", state -> Future.succeededFuture(Map.of("items", List.of("x"))))
        .addNode("y", state -> Future.succeededFuture(Map.of("items", List.of("y"))))
        .addEdge(START, "multi").addEdge("x", END).addEdge("y", END).compile();
    return result(GraphRuntime.deploy(vertx, graph)).client();
  }

  @Test
  void everyCommandsUpdateIsWrittenAndEveryGotoRuns(Vertx vertx) {
    GraphClient client = deploy(vertx, "multi-1", List.of(Command.of(Map.of("items", List.of("m1")), "x"),
        Command.of(Map.of("items", List.of("m2")), "y")));
    assertEquals(List.of("m1", "m2", "x", "y"), result(client.invoke(Map.of("items", List.of()))).getList("items"));
  }

  @Test
  void updateMapsMixWithCommandsAndATargetRunsOnce(Vertx vertx) {
    GraphClient mixed = deploy(vertx, "multi-2", List.of(Command.gotoNode("x"), Map.of("items", List.of("plain"))));
    assertEquals(List.of("plain", "x"), result(mixed.invoke(Map.of("items", List.of()))).getList("items"));
    GraphClient twice = deploy(vertx, "multi-3", List.of(Command.of(Map.of("items", List.of("t1")), "x"),
        Command.of(Map.of("items", List.of("t2")), "x")));
    assertEquals(List.of("t1", "t2", "x"), result(twice.invoke(Map.of("items", List.of()))).getList("items"));
  }

  @Test
  void twoUpdatesOfALastValueChannelAreRefusedAsInLangGraph(Vertx vertx) {
    GraphClient client = deploy(vertx, "multi-4", List.of(Command.ofUpdate(Map.of("last", "a")),
        Command.ofUpdate(Map.of("last", "b"))));
    InvalidUpdateException invalid = assertInstanceOf(InvalidUpdateException.class,
        failure(client.invoke(Map.of("items", List.of()))));
    assertEquals("last", invalid.channel());
  }
}
