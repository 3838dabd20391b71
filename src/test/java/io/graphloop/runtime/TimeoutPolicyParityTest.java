package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TimeoutPolicy;
import io.graphloop.graph.TimeoutPolicy.RefreshOn;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
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
 * LangGraph 1.2.12's {@code TimeoutPolicy} (run and idle timeouts, refresh modes, heartbeats, per-Send and entrypoint
 * and task timeouts), each test naming the test of {@code test_retry.py} it mirrors. The expected values are the
 * output of src/test/resources/langgraph/timeout_policies.py (timeout_policies.json beside it; its keys are named),
 * which runs each scenario as a graph. Times are LangGraph's times {@link #SCALE} times longer (0.05 s is 200 ms): the
 * ratios between the waits and the limits are LangGraph's, the margins wide enough for a loaded machine; an error is
 * compared in LangGraph's shape, its limits scaled back to seconds.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TimeoutPolicyParityTest {

  /** Java's milliseconds per LangGraph second. */
  private static final long SCALE = 4_000;

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/timeout_policies.json");

  private static long ms(double seconds) {
    return Math.round(seconds * SCALE);
  }

  /** A timeout error in LangGraph's shape ({@code timeout_error} of the script), limits back in LangGraph seconds. */
  private static JsonObject error(Throwable failure) {
    NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failure);
    return new JsonObject().put("node", e.node()).put("kind", e.kind().wireName())
        .put("timeout", seconds(e.timeoutMs()))
        .put("run_timeout", e.runTimeoutMs() == 0 ? null : seconds(e.runTimeoutMs()))
        .put("idle_timeout", e.idleTimeoutMs() == 0 ? null : seconds(e.idleTimeoutMs()));
  }

  private static Double seconds(long ms) {
    return ms / (double) SCALE;
  }

  private static JsonObject failed(Throwable failure) {
    return new JsonObject().put("ok", false).put("error", error(failure));
  }

  /** {@code times} signals {@code gapMs} apart, then the node's update {@code {"x": 2}}. */
  private static Future<Object> signals(NodeContext ctx, int times, long gapMs, Runnable signal) {
    Future<Object> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      chain = chain.compose(v -> ctx.vertx().timer(gapMs).map(t -> {
        signal.run();
        return null;
      }));
    }
    return chain.map(v -> Map.of("x", 2));
  }

  /** START -> n -> END with {@code body} under {@code options}. */
  private static GraphClient deploy(Vertx vertx, String name, AsyncNode body, NodeOptions options) {
    CompiledGraph graph = new StateGraph(name).addNode("n", body, options).addEdge(START, "n").addEdge("n", END)
        .compile();
    return result(GraphRuntime.deploy(vertx, graph)).client();
  }

  private static JsonObject ok(GraphClient client) {
    return new JsonObject().put("ok", true)
        .put("result", new JsonObject(result(client.invoke(Map.of("x", 1))).asMap()));
  }

  /** test_arun_with_retry_run_timeout_is_not_refreshed_by_heartbeat ("run_timeout_not_refreshed_by_heartbeat"). */
  @Test
  void runTimeoutIsNotRefreshedByHeartbeat(Vertx vertx) {
    // heartbeats every 10 LangGraph-ms for far longer than the run timeout (bounded: 250 of them)
    GraphClient client = deploy(vertx, "tp-run-heartbeat", (state, ctx) -> signals(ctx, 250, ms(0.01), ctx::heartbeat),
        new NodeOptions().setTimeout(TimeoutPolicy.run(ms(0.05))));
    EXPECTED.check("run_timeout_not_refreshed_by_heartbeat", failed(failure(client.invoke(Map.of("x", 1)))).getMap());
  }

  /** test_node_timeout_error_carries_both_configured_timeouts ("both_configured_timeouts"). */
  @Test
  void nodeTimeoutErrorCarriesBothConfiguredTimeouts(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-both", (state, ctx) -> Promise.promise().future(),
        new NodeOptions().setTimeout(TimeoutPolicy.of(ms(0.05), ms(0.5), RefreshOn.AUTO)));
    Throwable failure = failure(client.invoke(Map.of("x", 1)));
    EXPECTED.check("both_configured_timeouts", failed(failure).getMap());
    assertTrue(failure.getMessage().contains("timed out after 200 ms"), failure.getMessage());
  }

  /** An idle timeout without progress fires (test_arun_with_retry_timeout_fires_async, idle: "idle_timeout_fires"). */
  @Test
  void idleTimeoutFiresWithoutProgress(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle", (state, ctx) -> ctx.vertx().timer(ms(1.0)).map(t -> Map.of("x", 2)),
        new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.05))));
    Throwable failure = failure(client.invoke(Map.of("x", 1)));
    EXPECTED.check("idle_timeout_fires", failed(failure).getMap());
    assertTrue(failure.getMessage().contains("exceeded its idle timeout of 200 ms without making progress"),
        failure.getMessage());
  }

  /** The idle timeout of a blocking node fires too, and interrupts its worker thread (a Graphloop behaviour). */
  @Test
  void idleTimeoutStopsABlockingNode(Vertx vertx) {
    AtomicInteger interrupted = new AtomicInteger();
    CompiledGraph graph = new StateGraph("tp-idle-blocking").addBlockingNode("n", (state, ctx) -> {
      try {
        Thread.sleep(ms(2.0));
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
      return Map.of("x", 2);
    }, new NodeOptions().setIdleTimeoutMs(ms(0.05))).addEdge(START, "n").addEdge("n", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    EXPECTED.check("idle_timeout_fires", failed(failure(client.invoke(Map.of("x", 1)))).getMap());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (interrupted.get() == 0 && System.nanoTime() < until) { // the interrupt follows the reply
      Thread.onSpinWait();
    }
    assertEquals(1, interrupted.get(), "the idle timeout interrupts the blocking node's worker thread");
  }

  /**
   * test_arun_with_retry_idle_timeout_resets_on_runtime_stream_writer and _on_stream_event
   * ("idle_resets_on_stream_writer"): three custom events 0.08 s apart keep an idle timeout of 0.2 s from firing
   * although the node takes 0.24 s; each reaches the stream.
   */
  @Test
  void idleTimeoutResetsOnStreamWriter(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle-writer",
        (state, ctx) -> signals(ctx, 3, ms(0.08), () -> ctx.emit("tick")),
        new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.2))));
    List<Object> events = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions(), StreamMode.CUSTOM,
        StreamMode.VALUES)) {
      if (event.event().wireName().equals("custom")) {
        events.add(List.of("custom", event.data().getOrDefault("value", event.data())));
      } else if (event.event().wireName().equals("values")) {
        events.add(List.of("values", event.data()));
      }
    }
    JsonObject want = EXPECTED.of("idle_resets_on_stream_writer");
    assertEquals(want.getJsonArray("events").getList(), new io.vertx.core.json.JsonArray(events).getList());
  }

  /** The stream writer refreshes the idle timeout also when nobody streams custom events (as LangGraph's). */
  @Test
  void idleTimeoutResetsOnStreamWriterWhenNotStreamed(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle-writer-quiet",
        (state, ctx) -> signals(ctx, 3, ms(0.08), () -> ctx.emit("tick")),
        new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.2))));
    assertEquals(new JsonObject().put("ok", true).put("result", new JsonObject().put("x", 2)), ok(client));
  }

  /** test_arun_with_retry_idle_timeout_resets_on_runtime_heartbeat ("idle_resets_on_heartbeat"). */
  @Test
  void idleTimeoutResetsOnRuntimeHeartbeat(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle-heartbeat", (state, ctx) -> signals(ctx, 3, ms(0.08), ctx::heartbeat),
        new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.15))));
    EXPECTED.check("idle_resets_on_heartbeat", ok(client).getMap());
  }

  /** test_arun_with_retry_heartbeat_refresh_mode_ignores_stream_events ("heartbeat_mode_ignores_stream_events"). */
  @Test
  void heartbeatRefreshModeIgnoresStreamEvents(Vertx vertx) {
    AtomicInteger emitted = new AtomicInteger();
    GraphClient client = deploy(vertx, "tp-heartbeat-only-events", (state, ctx) -> signals(ctx, 250, ms(0.01), () -> {
      emitted.incrementAndGet();
      ctx.emit("tick");
    }), new NodeOptions().setTimeout(TimeoutPolicy.of(0, ms(0.05), RefreshOn.HEARTBEAT)));
    EXPECTED.check("heartbeat_mode_ignores_stream_events", failed(failure(client.invoke(Map.of("x", 1)))).getMap());
    assertTrue(emitted.get() > 0, "the node emitted events before its idle timeout fired");
  }

  /** test_arun_with_retry_heartbeat_refresh_mode_accepts_heartbeat ("heartbeat_mode_accepts_heartbeat"). */
  @Test
  void heartbeatRefreshModeAcceptsHeartbeat(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-heartbeat-only", (state, ctx) -> signals(ctx, 3, ms(0.03), ctx::heartbeat),
        new NodeOptions().setTimeout(TimeoutPolicy.of(0, ms(0.08), RefreshOn.HEARTBEAT)));
    EXPECTED.check("heartbeat_mode_accepts_heartbeat", ok(client).getMap());
  }

  /**
   * test_runtime_heartbeat_outside_idle_attempt_is_no_op ("heartbeat_outside_idle_attempt",
   * "heartbeat_under_run_timeout_only"): a heartbeat of a node without an idle timeout, and of a context that is not
   * the runtime's, does nothing.
   */
  @Test
  void runtimeHeartbeatOutsideIdleAttemptIsNoOp(Vertx vertx) {
    AsyncNode beat = (state, ctx) -> {
      ctx.heartbeat();
      return Future.succeededFuture(Map.of("x", 2));
    };
    EXPECTED.check("heartbeat_outside_idle_attempt",
        ok(deploy(vertx, "tp-heartbeat-none", beat, new NodeOptions())).getMap());
    EXPECTED.check("heartbeat_under_run_timeout_only", ok(deploy(vertx, "tp-heartbeat-run", beat,
        new NodeOptions().setTimeout(TimeoutPolicy.run(ms(1.0))))).getMap());
    new NodeContextStub().heartbeat();
  }

  /** test_send_timeout_overrides_target_node_timeout ("send_timeout_overrides_node"). */
  @Test
  void sendTimeoutOverridesTargetNodeTimeout(Vertx vertx) {
    EXPECTED.check("send_timeout_overrides_node", failed(failure(sendGraph(vertx, "tp-send-over",
        TimeoutPolicy.idle(ms(1.0)), TimeoutPolicy.idle(ms(0.05))).invoke(Map.of("x", 1)))).getMap());
  }

  /** A Send without a timeout takes the node's ("send_without_timeout_takes_node"). */
  @Test
  void sendWithoutTimeoutTakesTheNodesTimeout(Vertx vertx) {
    EXPECTED.check("send_without_timeout_takes_node", failed(failure(sendGraph(vertx,
        "tp-send-none", TimeoutPolicy.idle(ms(0.05)), null).invoke(Map.of("x", 1)))).getMap());
  }

  /** A Send's longer run timeout replaces the node's shorter one ("send_timeout_loosens_node"). */
  @Test
  void sendRunTimeoutReplacesTheNodesRunTimeout(Vertx vertx) {
    State result = result(sendGraph(vertx, "tp-send-looser", TimeoutPolicy.run(ms(0.05)), TimeoutPolicy.run(ms(1.0)))
        .invoke(Map.of("x", 1)));
    assertEquals(EXPECTED.of("send_timeout_loosens_node").getJsonObject("result").getMap(), result.asMap());
  }

  private static GraphClient sendGraph(Vertx vertx, String name, TimeoutPolicy node, TimeoutPolicy send) {
    CompiledGraph graph = new StateGraph(name)
        .addNode("slow", (state, ctx) -> ctx.vertx().timer(ms(0.2)).map(t -> Map.of("x", state.getInteger("x") + 1)),
            new NodeOptions().setTimeout(node))
        .addConditionalEdges(START, state -> List.of(new Send("slow", state.asMap(), send)))
        .addEdge("slow", END).compile();
    return result(GraphRuntime.deploy(vertx, graph)).client();
  }

  /** test_entrypoint_timeout_e2e ("entrypoint_timeout_e2e"). */
  @Test
  void entrypointTimeoutE2e(Vertx vertx) {
    CompiledGraph graph = Entrypoint.<Integer, Integer>of("slow_workflow",
        (x, ctx) -> ctx.vertx().timer(ms(0.2)).map(t -> x)).withTimeout(TimeoutPolicy.idle(ms(0.05))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    EXPECTED.check("entrypoint_timeout_e2e", failed(failure(client.invoke(Entrypoint.input(1)))).getMap());
  }

  /** test_entrypoint_timeout_allows_pre_timeout_child_task_to_run ("entrypoint_child_task"). */
  @Test
  void entrypointTimeoutAllowsPreTimeoutChildTaskToRun(Vertx vertx) {
    List<Object> started = Collections.synchronizedList(new ArrayList<>());
    Task<Integer, Integer> child = Task.of("child", (value, ctx) -> {
      started.add(value);
      return Future.succeededFuture(value + 1);
    });
    CompiledGraph graph = Entrypoint.<Integer, Integer>of("parent", (value, ctx) -> {
      ctx.call(child, value);
      return ctx.vertx().timer(ms(0.2)).map(t -> value);
    }).withTimeout(TimeoutPolicy.idle(ms(0.05))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    JsonObject got = failed(failure(client.invoke(Entrypoint.input(1)))).put("child_started", new ArrayList<>(started));
    EXPECTED.check("entrypoint_child_task", got.getMap());
  }

  /** test_task_decorator_preserves_user_idle_timeout_kwarg ("task_with_idle_timeout"). */
  @Test
  void taskWithIdleTimeoutPassesItsInputThrough(Vertx vertx) {
    Task<Integer, Integer> echo = Task.<Integer, Integer>of("echo_idle_timeout",
        (idleTimeout, ctx) -> ctx.vertx().timer(1).map(t -> idleTimeout)).withTimeout(TimeoutPolicy.idle(ms(1.0)));
    CompiledGraph graph = Entrypoint.<Integer, Integer>of("workflow", (x, ctx) -> ctx.call(echo, x)).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertEquals(EXPECTED.of("task_with_idle_timeout").getInteger("result"),
        Entrypoint.output(result(client.run(Entrypoint.input(5), new RunOptions()))));
  }

  /** A task's idle timeout fires without progress and is refreshed by its heartbeats (a Graphloop behaviour test). */
  @Test
  void taskIdleTimeoutFiresAndIsRefreshedByHeartbeats(Vertx vertx) {
    Task<Integer, Integer> quiet = Task.<Integer, Integer>of("quiet",
            (x, ctx) -> ctx.vertx().timer(ms(0.2)).map(t -> x))
        .withTimeout(TimeoutPolicy.idle(ms(0.05)));
    Task<Integer, Integer> beating = Task.<Integer, Integer>of("beating",
        (x, ctx) -> signals(ctx, 3, ms(0.03), ctx::heartbeat).map(done -> x))
        .withTimeout(TimeoutPolicy.of(0, ms(0.05), RefreshOn.HEARTBEAT));
    GraphClient failing = result(GraphRuntime.deploy(vertx, Entrypoint.<Integer, Integer>of("tp-task-quiet",
        (x, ctx) -> ctx.call(quiet, x)).compile())).client();
    JsonObject error = error(failure(failing.invoke(Entrypoint.input(1))));
    assertEquals(new JsonObject().put("node", "quiet").put("kind", "idle").put("timeout", 0.05).put("run_timeout", null)
        .put("idle_timeout", 0.05), error);
    GraphClient passing = result(GraphRuntime.deploy(vertx, Entrypoint.<Integer, Integer>of("tp-task-beating",
        (x, ctx) -> ctx.call(beating, x)).compile())).client();
    assertEquals(7, Entrypoint.output(result(passing.run(Entrypoint.input(7), new RunOptions()))));
  }

  /**
   * test_idle_timeout_resets_on_message_stream_callbacks ("idle_resets_on_message_chunks"): a model's three chunks
   * 0.08 s apart, each sent with {@code emitMessage} as Graphloop's chat models do, keep an idle timeout of 0.15 s from
   * firing, and reach the messages stream.
   */
  @Test
  void idleTimeoutResetsOnMessageStreamChunks(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle-messages", (state, ctx) -> {
      AtomicInteger next = new AtomicInteger();
      return signals(ctx, 3, ms(0.08), () -> ctx.emitMessage(Map.of("type", "AIMessageChunk", "content",
          String.valueOf(next.getAndIncrement()))));
    }, new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.15))));
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions(),
        StreamMode.MESSAGES)) {
      if (event.event().wireName().equals("messages")) {
        chunks.add(((Map<?, ?>) event.data().get("message")).get("content"));
      }
    }
    assertEquals(EXPECTED.of("idle_resets_on_message_chunks").getJsonArray("chunks").getList(), chunks);
  }

  /**
   * test_arun_with_retry_idle_timeout_resets_on_callback_event: LangGraph's callback events (a model's tokens) refresh
   * the idle timeout whatever the run streams; Graphloop's counterpart, message chunks, refresh it also when the run
   * does not stream messages.
   */
  @Test
  void idleTimeoutResetsOnMessageChunksWhenNotStreamed(Vertx vertx) {
    GraphClient client = deploy(vertx, "tp-idle-callbacks", (state, ctx) -> signals(ctx, 3, ms(0.08),
        () -> ctx.emitMessage(Map.of("type", "AIMessageChunk", "content", "tok"))),
        new NodeOptions().setTimeout(TimeoutPolicy.idle(ms(0.15))));
    assertEquals(new JsonObject().put("ok", true).put("result", new JsonObject().put("x", 2)), ok(client));
  }

  /** A context that is not the runtime's: only what the interface requires. */
  private static final class NodeContextStub implements NodeContext {
    public String graph() {
      return "g";
    }

    public String runId() {
      return "r";
    }

    public int step() {
      return 1;
    }

    public String node() {
      return "n";
    }

    public int attempt() {
      return 1;
    }

    public int maxAttempts() {
      return 1;
    }

    public Map<String, Object> config() {
      return Map.of();
    }

    public void emit(Object payload) {
    }

    public Object interrupt(Object payload) {
      throw new UnsupportedOperationException();
    }

    public Vertx vertx() {
      return null;
    }

    public io.vertx.ext.web.client.WebClient webClient() {
      return null;
    }

    public io.vertx.ext.web.client.WebClient webClient(String name) {
      return null;
    }
  }
}
