package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.CheckpointConfig;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parent client's state calls in a subgraph's checkpoint namespace ({@link CheckpointConfig}, served by
 * {@link NamespaceStates}): what they refuse and why (unknown namespace 404, a subgraph without checkpoints 400, an
 * unknown or another owner's thread 404, an update while a run holds the thread 423), a stateful child named by its
 * task's namespace, an owner's own thread, and the request's wire form.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NamespaceStatesTest {

  private static CompiledGraph asking(String name) {
    return new StateGraph(name).channel("value", Channels.append())
        .addNode("a", s -> Future.succeededFuture(Map.of("value", "a")))
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("value", "ask:" + ctx.interrupt("q?"))))
        .addEdge(START, "a").addEdge("a", "ask").addEdge("ask", END).compile();
  }

  private static GraphClient parent(Vertx vertx, String name, Subgraph child) {
    return Parity.deploy(vertx, new StateGraph(name).channel("value", Channels.append())
        .addSubgraph("sub", child).addNode("plain", s -> Future.succeededFuture(Map.of("value", "p")))
        .addEdge(START, "sub").addEdge("sub", "plain").addEdge("plain", END).compile());
  }

  private static GraphloopException failed(Future<?> future) {
    return assertInstanceOf(GraphloopException.class, failure(future));
  }

  @Test
  void unknownNamespacesThreadsAndSubgraphsWithoutCheckpointsAreRefused(Vertx vertx) {
    GraphClient client = parent(vertx, "ns-refusals", Subgraph.of(asking("ns-refusals-child")));
    result(client.run(Map.of("value", List.of()), new RunOptions().setThreadId("t")));
    GraphloopException notSubgraph = failed(client.getState(new CheckpointConfig("t", "plain:x", null), false));
    assertEquals(FailureCode.UNKNOWN_TARGET, notSubgraph.code());
    assertTrue(notSubgraph.getMessage().contains("Subgraph plain not found"), notSubgraph.getMessage());
    assertEquals(FailureCode.UNKNOWN_TARGET,
        failed(client.updateState(new CheckpointConfig("t", "nope", null), Map.of(), null)).code());
    CheckpointConfig child = result(client.getState("t")).taskConfig(0);
    assertEquals(FailureCode.UNKNOWN_TARGET,
        failed(client.getState(new CheckpointConfig("other", child.checkpointNs(), null), false)).code());
    assertEquals(FailureCode.UNKNOWN_TARGET,
        failed(client.asOwner("mallory").getState(child, false)).code());
    assertEquals(FailureCode.UNKNOWN_TARGET,
        failed(client.getState(new CheckpointConfig("t", child.checkpointNs(), "no-such-checkpoint"), false)).code());
    assertEquals(FailureCode.BAD_REQUEST, failed(client.getState(null, false)).code());

    GraphClient none = parent(vertx, "ns-none", Subgraph.of(new StateGraph("ns-none-child")
        .channel("value", Channels.append()).addNode("a", s -> Future.succeededFuture(Map.of("value", "a")))
        .addEdge(START, "a").addEdge("a", END).compile()).withoutCheckpoints());
    result(none.run(Map.of("value", List.of()), new RunOptions().setThreadId("t")));
    GraphloopException noCheckpoints = failed(none.getState(new CheckpointConfig("t", "sub", null), false));
    assertEquals(FailureCode.BAD_REQUEST, noCheckpoints.code());
    assertTrue(noCheckpoints.getMessage().contains("keeps no checkpoints"), noCheckpoints.getMessage());
  }

  @Test
  void aStatefulChildIsFoundByItsTasksNamespaceAndAnUpdateContinuesIt(Vertx vertx) {
    GraphClient client = parent(vertx, "ns-stateful", Subgraph.of(asking("ns-stateful-child")).stateful())
        .asOwner("alice");
    RunOptions thread = new RunOptions().setThreadId("t");
    assertEquals(List.of("q?"), result(client.run(Map.of("value", List.of()), thread)).interrupts().stream()
        .map(i -> i.get("value")).toList());
    CheckpointConfig task = result(client.getState("t")).taskConfig(0);
    assertTrue(task.checkpointNs().startsWith("sub:"), task.checkpointNs());
    ThreadState child = result(client.getState(task, false));
    assertEquals("sub", child.config().checkpointNs()); // a stateful child's namespace has no task id
    assertEquals(List.of("ask"), child.next());
    ThreadState updated = result(client.updateState(child.config(), Map.of("value", List.of("x")), "ask"));
    assertEquals(List.of(), updated.next());
    assertEquals("t", updated.threadId());
    assertEquals(List.of("update", "loop"), result(client.getStateHistory(task, 2, null)).stream()
        .map(s -> s.source().wireName()).toList());
    RunResult done = result(client.proceed(thread));
    assertEquals(List.of("a", "x", "p"), done.values().getList("value"));
  }

  @Test
  void anUpdateWhileARunHoldsTheThreadIsRefused(Vertx vertx) {
    Promise<Map<String, Object>> release = Promise.promise();
    Promise<Void> waiting = Promise.promise();
    CompiledGraph child = new StateGraph("ns-busy-child").channel("value", Channels.append())
        .addNode("a", s -> Future.succeededFuture(Map.of("value", "a")))
        .addNode("b", s -> Future.succeededFuture(Map.of("value", "b")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).interruptBefore("b").compile();
    GraphClient client = Parity.deploy(vertx, new StateGraph("ns-busy").channel("value", Channels.append())
        .addSubgraph("sub", child).addNode("wait", s -> {
          waiting.tryComplete();
          return release.future();
        })
        .addEdge(START, "sub").addEdge("sub", "wait").addEdge("wait", END).compile());
    RunOptions thread = new RunOptions().setThreadId("t");
    result(client.run(Map.of("value", List.of()), thread));
    CheckpointConfig task = result(client.getState("t")).taskConfig(0);
    result(client.updateState(task, Map.of("value", List.of("u")), null));
    Future<RunResult> running = client.proceed(thread); // the child completes, then "wait" holds the run
    result(waiting.future());
    GraphloopException busy = failed(client.updateState(task, Map.of("value", List.of("v")), null));
    assertEquals(FailureCode.THREAD_BUSY, busy.code());
    release.complete(Map.of("value", "w"));
    assertEquals(List.of("a", "u", "b", "w"), result(running).values().getList("value"));
  }

  @Test
  void theRequestCarriesItsNamespace() {
    ThreadRequest request = ThreadRequest.update("t", "c1", Map.of("k", 1), "n").inNamespace("sub:1|inner");
    assertEquals(request, ThreadRequest.fromJson(new JsonObject(request.toJson().encode())));
    assertEquals("sub:1|inner", request.toJson().getString("checkpointNs"));
    assertEquals(null, ThreadRequest.get("t", null).inNamespace("").checkpointNs());
    assertThrows(IllegalArgumentException.class, () -> ThreadRequest.delete("t").inNamespace("sub"));
    assertThrows(IllegalArgumentException.class, () -> ThreadRequest.get("t", null).inNamespace("sub||x"));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointConfig(" ", "sub", null));
  }
}
