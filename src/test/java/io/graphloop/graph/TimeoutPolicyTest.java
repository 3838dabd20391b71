package io.graphloop.graph;

import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.internal.engine.Restore;
import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Task;
import io.graphloop.protocol.NodeReply;
import io.graphloop.run.ThreadUpdate;
import io.graphloop.state.State;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TimeoutPolicy}: its rules, its JSON, {@link NodeOptions}' form of it, and a {@link Send}'s policy through
 * every form a Send is kept or sent in (test_retry.py's serde round trips, "send_serde" and "send_serde_without" of
 * timeout_policies.py: LangGraph keeps both limits and the refresh mode, and a Send without one stays without).
 */
class TimeoutPolicyTest {

  private static final TimeoutPolicy BOTH = TimeoutPolicy.of(1_000, 2_000, TimeoutPolicy.RefreshOn.AUTO);

  @Test
  void refusesNonsenseWithTheRule() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> TimeoutPolicy.of(0, 0, TimeoutPolicy.RefreshOn.AUTO));
    assertTrue(none.getMessage().contains("sets runTimeoutMs, idleTimeoutMs or both"), none.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> TimeoutPolicy.of(-1, 5, TimeoutPolicy.RefreshOn.AUTO));
    assertTrue(negative.getMessage().contains("runTimeoutMs -1"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.idle(0));
    assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.run(-5));
    IllegalArgumentException refresh = assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.fromJson(
        new JsonObject().put("idleTimeoutMs", 5).put("refreshOn", "sometimes"), "node 'x'"));
    assertTrue(refresh.getMessage().contains("\"auto\" or \"heartbeat\", was \"sometimes\""), refresh.getMessage());
    assertTrue(refresh.getMessage().contains("node 'x'"), refresh.getMessage());
  }

  @Test
  void jsonRoundTripsAndDefaultsToAuto() {
    TimeoutPolicy heartbeat = TimeoutPolicy.of(0, 80, TimeoutPolicy.RefreshOn.HEARTBEAT);
    assertEquals(heartbeat, TimeoutPolicy.fromJson(heartbeat.toJson(), "test"));
    assertEquals("heartbeat", heartbeat.toJson().getString("refreshOn"));
    assertEquals(TimeoutPolicy.idle(50), TimeoutPolicy.fromJson(new JsonObject().put("idleTimeoutMs", 50), "test"));
    assertNotEquals(TimeoutPolicy.idle(50), TimeoutPolicy.run(50));
  }

  @Test
  void nodeOptionsCarryThePolicyInCodeAndJson() {
    NodeOptions options = new NodeOptions().setTimeout(TimeoutPolicy.of(60_000, 5_000,
        TimeoutPolicy.RefreshOn.HEARTBEAT));
    assertEquals(60_000, options.getTimeoutMs());
    assertEquals(5_000, options.getIdleTimeoutMs());
    NodeOptions back = new NodeOptions(options.toJson());
    assertEquals(options.getTimeout(), back.getTimeout());
    assertEquals(options.getTimeout(), new NodeOptions(options).getTimeout());
    assertNull(new NodeOptions().getTimeout(), "no limit of its own: the deployment's default applies");
    assertNull(options.setTimeout(null).getTimeout());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions(new JsonObject().put("idleTimeoutMs", -3)));
    assertTrue(bad.getMessage().contains("idleTimeoutMs must be greater than or equal to 0"), bad.getMessage());
  }

  /**
   * test_send_timeout_round_trips_through_msgpack_serde and
   * test_send_without_timeout_round_trips_through_msgpack_serde.
   */
  @Test
  void sendTimeoutRoundTripsThroughEveryFormASendTakes() {
    Send with = new Send("worker", Map.of("x", 1), BOTH);
    Send without = new Send("worker", Map.of("x", 1));
    assertNotEquals(with, without);
    for (Send send : List.of(with, without)) {
      // a node's reply (the bus between JVMs)
      NodeReply reply = NodeReply.fromJson(new NodeReply(Map.of(), List.of(), List.of(send)).toJson());
      assertEquals(send, reply.sends().get(0));
      // updateState's JSON (the server's API)
      ThreadUpdate update = ThreadUpdate.fromJson(new ThreadUpdate(Map.of(), "a", List.of(), List.of(send)).toJson(),
          "the update");
      assertEquals(send, update.sends().get(0));
      // a checkpoint's next tasks: the push task keeps the Send's policy, and a resumed step runs under it
      CompiledGraph graph = new StateGraph("tp-serde").addNode("worker", state -> io.vertx.core.Future.succeededFuture(
          Map.of())).addEdge(StateGraph.START, "worker").compile();
      Task push = new Task("worker", graph.indexOf("worker"), 3, State.of(send.input()), 0, send.timeout());
      List<Map<String, Object>> saved = CheckpointRecord.tasks("thread", List.of(push));
      Map<String, Object> json = new JsonObject(new JsonObject(saved.get(0)).encode()).getMap(); // as stored
      RunState restored = Restore.runState(graph, State.empty(), 3, List.of(json), Map.of());
      assertEquals(send.timeout(), restored.tasks().get(0).timeout());
      assertEquals(send.input(), restored.tasks().get(0).input().asMap());
    }
    assertEquals(Map.of("runTimeoutMs", 1_000L, "idleTimeoutMs", 2_000L, "refreshOn", "auto"),
        with.toMap().get("timeout"));
    assertNull(without.toMap().get("timeout"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> NodeReply.fromJson(
        new JsonObject().put("sends", new io.vertx.core.json.JsonArray().add(new JsonObject().put("node", "w")
            .put("timeout", "soon")))));
    assertTrue(bad.getMessage().contains("must be an object"), bad.getMessage());
  }
}
