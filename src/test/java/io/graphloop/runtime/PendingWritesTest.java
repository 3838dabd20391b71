package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pending writes: when one task of a step fails, the writes of the tasks of that step that succeeded are stored,
 * and resuming the thread runs only the failed task (executions counted), with every store and durability mode.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PendingWritesTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} store, {1}")
  @CsvSource({"memory, sync", "memory, async", "memory, exit", "sqlite, sync", "sqlite, async", "sqlite, exit"})
  void resumingAfterAFailedTaskRunsOnlyThatTaskAndKeepsTheOthersWritesAndRouting(String store, String durability,
                                                                                  Vertx vertx) {
    AtomicInteger writer = new AtomicInteger();
    AtomicInteger router = new AtomicInteger();
    AtomicInteger flaky = new AtomicInteger();
    AtomicInteger after = new AtomicInteger();
    CompiledGraph graph = new StateGraph("pending-" + store + "-" + durability)
        .channel("log", Channels.append())
        .addNode("writer", state -> {
          writer.incrementAndGet();
          return Future.succeededFuture(Map.of("log", "writer"));
        })
        .addNode("router", (state, ctx) -> {
          router.incrementAndGet();
          return Future.succeededFuture(Command.gotoNode("after").update(Map.of("log", "router")));
        }, new NodeOptions().setDestinations(List.of("after")))
        .addNode("flaky", state -> flaky.incrementAndGet() == 1
            ? Future.failedFuture(new IllegalStateException("service down"))
            : Future.succeededFuture(Map.of("log", "flaky")))
        .addNode("after", state -> {
          after.incrementAndGet();
          return Future.succeededFuture(Map.of("log", "after"));
        })
        .addEdge(START, "writer").addEdge(START, "router").addEdge(START, "flaky")
        .addEdge("writer", END).addEdge("flaky", END).addEdge("after", END).compile();
    JsonObject config = store.equals("memory") ? new JsonObject().put("type", "memory")
        : new JsonObject().put("type", "sqlite").put("dataDir", dir.toString());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCheckpointer(config)))
        .client();
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.of(durability));

    NodeFailedException failed = assertInstanceOf(NodeFailedException.class,
        failure(client.run(Map.of("log", "in"), thread)));
    assertEquals("flaky", failed.node());
    ThreadState stopped = result(client.getState("t"));
    assertEquals(List.of("flaky"), stopped.next(), "writer and router completed; flaky is due again");
    Map<String, Object> flakyTask = stopped.tasks().get(2);
    assertEquals("flaky", flakyTask.get("node"));
    assertTrue(String.valueOf(((Map<?, ?>) flakyTask.get("error")).get("message")).contains("service down"),
        "the failed task's error is kept: " + flakyTask);
    assertEquals(Map.of("log", "writer"), stopped.tasks().get(0).get("result"));

    RunResult resumed = result(client.proceed(thread));
    assertEquals(List.of("in", "writer", "router", "flaky", "after"), resumed.values().getList("log"));
    assertEquals(List.of(1, 1, 2, 1), List.of(writer.get(), router.get(), flaky.get(), after.get()),
        "writer and router ran once (their stored writes and goto were reused); flaky ran twice");
  }
}
