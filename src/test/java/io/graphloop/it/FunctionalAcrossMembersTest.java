package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The functional API across cluster members (two clustered Vert.x instances in this JVM, talking over loopback TCP):
 * the entrypoint's node runs on one member, the run's coordinator and its thread's checkpoints on the other. Each task
 * call's result crosses the bus to the coordinator, is stored there, and a resume (whose node request carries the
 * stored calls back) does not run the task again. Blocking waits are on the JUnit thread, never on an event loop.
 */
class FunctionalAcrossMembersTest {

  private static final AtomicInteger DRAFTS = new AtomicInteger();
  private static Vertx member;
  private static Vertx coordinator;

  @BeforeAll
  static void cluster() throws Exception {
    LoopbackCluster cluster = LoopbackCluster.of(2);
    member = ClusteredVertx.start(cluster.liteMember(0).setLiteMember(false))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    coordinator = ClusteredVertx.start(cluster.liteMember(1))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    GraphRuntime.deploy(member, graph(), new GraphRuntimeOptions().setCoordinator(false))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    GraphRuntime.deploy(coordinator, graph(), new GraphRuntimeOptions().setNodes(List.of())
            .setCheckpointer(new JsonObject().put("type", "memory")))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    if (coordinator != null) {
      coordinator.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (member != null) {
      member.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static CompiledGraph graph() {
    Task<String, Map<String, Object>> draft = Task.of("draft", (topic, ctx) -> {
      DRAFTS.incrementAndGet();
      return Future.succeededFuture(Map.of("text", "about " + topic, "words", List.of("about", topic)));
    });
    return Entrypoint.<String, Object>of("remote-review", (topic, ctx) -> ctx.call(draft, topic)
        .map(essay -> Map.of("essay", essay, "approved", ctx.interrupt(Map.of("essay", essay))))).compile();
  }

  @Test
  void aTaskCallStoredFromAnotherMemberIsNotRunAgainOnResume() throws Exception {
    GraphClient client = GraphClient.create(coordinator, "remote-review", 60_000);
    RunOptions thread = new RunOptions().setThreadId("across-1");
    RunResult asked = client.run(Entrypoint.input("graphs"), thread)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    Map<String, Object> essay = Map.of("text", "about graphs", "words", List.of("about", "graphs"));
    assertEquals(Map.of("essay", essay), asked.interrupts().get(0).get("value"));

    RunResult done = client.run(Command.resume(true), thread)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(Map.of("essay", essay, "approved", true), Entrypoint.output(done));
    assertEquals(1, DRAFTS.get(), "the draft task ran once; the resume got its stored result");
  }
}
