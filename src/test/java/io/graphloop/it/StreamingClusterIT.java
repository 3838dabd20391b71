package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.ExampleGraphs;
import io.graphloop.graph.Command;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 3: streaming and the run-control protocol with the client in this JVM and the coordinator in
 * another ({@code member} child JVMs on 127.0.0.1, this JVM a lite member that deploys nothing of them):
 *
 * <ul>
 *   <li>every stream mode ({@code values}, {@code updates}, {@code tasks}, {@code debug}, {@code custom}) gives the
 *       same events, in the same order, as the same graph streamed in one JVM (run ids and timings aside);</li>
 *   <li>credits cross the JVMs: a run of 600 events (more than the window of 256) completes, and a paused stream
 *       hands nothing to its handler until resumed;</li>
 *   <li>cancel with the capability token: a wrong token cancels nothing, the right one cancels a streamed and a
 *       non-streamed run;</li>
 *   <li>threads: a streamed run stops at an interrupt (with {@code debug} checkpoint events), and a streamed resume
 *       from this JVM finishes it;</li>
 *   <li>the client's idle timeout: when the coordinator's JVM is killed mid-run, the stream fails with a
 *       {@code TIMEOUT} that says it heard nothing from the coordinator, long before the run's deadline.</li>
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StreamingClusterIT {

  private static final long READY_MS = 90_000;
  private static final long WAIT_MS = 60_000;
  private static final StreamMode[] ALL_MODES = {StreamMode.VALUES, StreamMode.UPDATES, StreamMode.TASKS,
      StreamMode.DEBUG, StreamMode.CUSTOM};
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private static LoopbackCluster cluster;
  private static MemberProcess member;
  private static Vertx clustered;
  private static Vertx local;

  @BeforeAll
  static void cluster() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    cluster = LoopbackCluster.of(3);
    member = MemberProcess.start("stream-member", cluster.memberArgs(0, "--graphs", "chat,chain,crash,approval",
        "--checkpointer", "{\"type\":\"memory\"}"));
    member.awaitLine("member ready", READY_MS);
    clustered = get(ClusteredVertx.start(cluster.liteMember(1)), READY_MS);
    local = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clustered != null) {
      get(clustered.close(), 30_000);
    }
    if (local != null) {
      get(local.close(), 30_000);
    }
    if (member != null) {
      member.stop(10_000);
    }
  }

  @Test
  void everyModeStreamsAcrossJvmsAsItDoesInOne() throws Exception {
    for (String graph : List.of("chat", "chain")) {
      Map<String, Object> input = graph.equals("chat") ? Map.of("prompt", "hi") : Map.of("count", 0);
      GraphClient remote = GraphClient.create(clustered, graph, WAIT_MS);
      Streamed across = stream(clustered, () -> remote.stream(input, new RunOptions(), ALL_MODES), null);
      assertNull(across.failure, graph + ": " + across.failure);
      GraphRuntime runtime = get(GraphRuntime.deploy(local, new ExampleGraphs().graph(graph)), WAIT_MS);
      Streamed here;
      try {
        here = stream(local, () -> runtime.client().stream(input, new RunOptions(), ALL_MODES), null);
      } finally {
        get(runtime.undeploy(), WAIT_MS);
      }
      assertNull(here.failure, graph + " in one JVM: " + here.failure);
      assertEquals(normalized(here.events), normalized(across.events), graph + ": the same events as in one JVM");
      assertContiguous(across.events);
      StreamEvent end = across.events.get(across.events.size() - 1);
      assertEquals(StreamEvent.END, end.event());
      if (graph.equals("chat")) {
        assertEquals(List.of("Hello", ",", " world"), across.events.stream().filter(e -> e.event().wireName().equals("custom"))
            .map(e -> e.data().get("token")).toList(), "the custom events emitted in the other JVM");
      } else {
        assertTrue(across.events.size() > 256, "more events than the window: credits crossed the JVMs, "
            + across.events.size());
        assertEquals(ExampleGraphs.CHAIN_LENGTH, ((Map<?, ?>) end.data().get("values")).get("count"));
      }
      for (StreamMode mode : ALL_MODES) {
        if (mode != StreamMode.CUSTOM || graph.equals("chat")) {
          String name = mode.name().toLowerCase(java.util.Locale.ROOT);
          assertTrue(across.events.stream().anyMatch(e -> e.event().wireName().equals(name)), graph + " streamed no " + name);
        }
      }
    }
  }

  @Test
  void aPausedStreamHoldsItsEventsAndResumesWithAllOfThem() throws Exception {
    GraphClient remote = GraphClient.create(clustered, "chain", WAIT_MS);
    AtomicBoolean paused = new AtomicBoolean();
    CompletableFuture<Integer> whilePaused = new CompletableFuture<>();
    RunEventStream[] holder = new RunEventStream[1];
    Streamed streamed = stream(clustered, () -> holder[0] = remote.stream(Map.of("count", 0), new RunOptions(),
        StreamMode.VALUES, StreamMode.UPDATES, StreamMode.TASKS), (events) -> {
          if (events.size() == 1 && paused.compareAndSet(false, true)) {
            holder[0].pause();
            clustered.setTimer(1_500, t -> {
              whilePaused.complete(events.size());
              holder[0].resume();
            });
          }
        });
    assertNull(streamed.failure, String.valueOf(streamed.failure));
    assertEquals(1, get(whilePaused, WAIT_MS), "a paused stream hands nothing more to its handler");
    assertContiguous(streamed.events);
    assertEquals(ExampleGraphs.CHAIN_LENGTH * 4 + 2, streamed.events.size(),
        "every step's values, update and two task events, the input's values, and end");
  }

  @Test
  void onlyTheCapabilityTokenCancelsARunOnAnotherJvm() throws Exception {
    GraphClient remote = GraphClient.create(clustered, "crash", WAIT_MS);
    Map<String, Object> slow = Map.of("trail", List.of(), "delayMs", 1_000);
    RunEventStream[] holder = new RunEventStream[1];
    CompletableFuture<Boolean> wrong = new CompletableFuture<>();
    CompletableFuture<Boolean> right = new CompletableFuture<>();
    Streamed streamed = stream(clustered, () -> holder[0] = remote.stream(slow, new RunOptions(), StreamMode.UPDATES),
        events -> {
          if (events.size() == 1) {
            String runId = events.get(0).runId();
            remote.cancel(runId, "0123456789abcdef0123456789abcdef").onComplete(done -> {
              wrong.complete(done.succeeded() && done.result());
              remote.cancel(runId, holder[0].controlToken()).onComplete(ok -> right.complete(ok.succeeded()
                  && ok.result()));
            });
          }
        });
    assertFalse(get(wrong, WAIT_MS), "a made-up token cancels nothing");
    assertTrue(get(right, WAIT_MS), "the submitter's token cancels the run");
    assertEquals(FailureCode.CANCELLED, assertInstanceOf(GraphloopException.class, streamed.failure).code());
    assertTrue(streamed.events.size() >= 2, "the run went on after the wrong token: " + streamed.events);

    String runId = "cancel-" + UUID.randomUUID();
    String token = UUID.randomUUID().toString().replace("-", "");
    Future<RunResult> run = remote.run(slow, new RunOptions().setRunId(runId).setControlToken(token));
    CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
    clustered.setTimer(1_500, t -> remote.cancel(runId, token).onComplete(done -> cancelled.complete(
        done.succeeded() && done.result())));
    assertTrue(get(cancelled, WAIT_MS), "a non-streamed run is cancelled by its own controlToken");
    Throwable failure = assertThrows(run);
    assertEquals(FailureCode.CANCELLED, assertInstanceOf(GraphloopException.class, failure).code(), failure.toString());
  }

  @Test
  void aStreamedRunStopsAtItsInterruptAndAStreamedResumeFinishesIt() throws Exception {
    GraphClient remote = GraphClient.create(clustered, "approval", WAIT_MS);
    RunOptions thread = new RunOptions().setThreadId("release-" + UUID.randomUUID());
    Streamed first = stream(clustered, () -> remote.stream(Map.of("version", "1.0"), thread, StreamMode.VALUES,
        StreamMode.UPDATES, StreamMode.DEBUG), null);
    assertNull(first.failure, String.valueOf(first.failure));
    assertContiguous(first.events);
    assertTrue(first.events.stream().anyMatch(e -> e.event().wireName().equals("debug")
        && "checkpoint".equals(e.data().get("type"))), "debug streams the thread's checkpoints: " + first.events);
    assertTrue(first.events.stream().anyMatch(e -> e.event().wireName().equals("updates")
        && e.data().containsKey("__interrupt__")), "the interrupt is streamed: " + first.events);
    StreamEvent end = first.events.get(first.events.size() - 1);
    assertEquals(StreamEvent.END, end.event());
    assertEquals(RunStatus.INTERRUPTED.wireName(), end.data().get("status"), end.toString());

    Streamed resumed = stream(clustered, () -> remote.stream(Command.resume("yes"), thread, StreamMode.VALUES,
        StreamMode.UPDATES), null);
    assertNull(resumed.failure, String.valueOf(resumed.failure));
    assertContiguous(resumed.events);
    StreamEvent last = resumed.events.get(resumed.events.size() - 1);
    assertEquals(StreamEvent.END, last.event(), last.toString());
    Map<?, ?> values = (Map<?, ?>) last.data().get("values");
    assertEquals(true, values.get("approved"), values.toString());
    assertEquals("published", values.get("outcome"), values.toString());
    assertTrue(resumed.events.stream().anyMatch(e -> e.event().wireName().equals("updates") && e.data().containsKey("publish")),
        "the resumed run's updates: " + resumed.events);
  }

  @Test
  void theClientsIdleTimeoutEndsAStreamWhoseCoordinatorDied() throws Exception {
    MemberProcess doomed = MemberProcess.start("stream-doomed", cluster.memberArgs(2, "--graphs", "seed"));
    try {
      doomed.awaitLine("member ready", READY_MS);
      GraphClient remote = GraphClient.create(clustered, "seed", 120_000).withStreamIdleTimeoutMs(4_000);
      Streamed streamed = stream(clustered, () -> remote.stream(Map.of("query", "q"), new RunOptions(),
          StreamMode.VALUES, StreamMode.UPDATES), events -> {
            if (events.size() == 1) {
              clustered.executeBlocking(() -> {
                doomed.kill();
                return null;
              });
            }
          });
      GraphloopException failure = assertInstanceOf(GraphloopException.class, streamed.failure,
          "the stream fails instead of waiting for ever: " + streamed.events);
      assertEquals(FailureCode.TIMEOUT, failure.code(), failure.getMessage());
      assertTrue(failure.getMessage().contains("idle timeout 4000 ms"), "the idle timeout ended it, not the run's "
          + "deadline of 120 s: " + failure.getMessage());
    } finally {
      doomed.kill();
    }
  }

  /** What a stream delivered: its events, and its failure ({@code null} when it ended with {@code end}). */
  private record Streamed(List<StreamEvent> events, Throwable failure) {
  }

  /**
   * Opens the stream {@code open} makes on an event loop of {@code vertx}, and collects it to its end;
   * {@code onEvent} (on that loop) sees the events so far after each one.
   */
  private static Streamed stream(Vertx vertx, Supplier<RunEventStream> open, Consumer<List<StreamEvent>> onEvent)
      throws Exception {
    CompletableFuture<Streamed> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = open.get();
      stream.handler(event -> {
        events.add(event);
        if (onEvent != null) {
          onEvent.accept(events);
        }
      });
      stream.exceptionHandler(failure -> done.complete(new Streamed(List.copyOf(events), failure)));
      stream.endHandler(end -> done.complete(new Streamed(List.copyOf(events), null)));
    });
    return get(done, WAIT_MS * 2);
  }

  /**
   * The events as JSON with what differs between two runs of one graph left out: run ids, task ids (derived from the
   * run id in a run without a thread, as LangGraph derives them from the planning checkpoint; each distinct id becomes
   * {@code <task N>} in order of first appearance, so an id used by two events must still be the same in both runs),
   * timings.
   */
  private static List<JsonObject> normalized(List<StreamEvent> events) {
    String runId = events.isEmpty() ? "" : events.get(0).runId();
    Map<String, String> taskIds = new java.util.LinkedHashMap<>();
    for (StreamEvent event : events) {
      Object data = event.toJson().getValue("data");
      if (data instanceof JsonObject json) {
        Object id = json.getValue("payload") instanceof JsonObject payload ? payload.getValue("id") : json.getValue("id");
        if (id instanceof String text && !text.isEmpty()) {
          taskIds.putIfAbsent(text, "<task " + taskIds.size() + ">");
        }
      }
    }
    List<JsonObject> out = new ArrayList<>();
    for (StreamEvent event : events) {
      String text = event.toJson().encode().replace(runId, "<run>");
      for (Map.Entry<String, String> id : taskIds.entrySet()) {
        text = text.replace(id.getKey(), id.getValue());
      }
      out.add(strip(new JsonObject(text)));
    }
    return out;
  }

  private static JsonObject strip(JsonObject json) {
    json.remove("durationMs");
    json.remove("timestamp");
    for (String field : json.fieldNames()) {
      Object value = json.getValue(field);
      if (value instanceof JsonObject) {
        strip((JsonObject) value);
      } else if (value instanceof JsonArray) {
        for (Object item : (JsonArray) value) {
          if (item instanceof JsonObject) {
            strip((JsonObject) item);
          }
        }
      }
    }
    return json;
  }

  private static void assertContiguous(List<StreamEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).seq(), "seq increases by one from 1: " + events);
    }
  }

  private static void assertNull(Object value, String message) {
    org.junit.jupiter.api.Assertions.assertNull(value, message);
  }

  private static Throwable assertThrows(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertNotNull(e.getCause());
      return e.getCause();
    }
    throw new AssertionError("expected the run to fail");
  }

  private static <T> T get(Future<T> future, long timeoutMs) throws Exception {
    return get(future.toCompletionStage().toCompletableFuture(), timeoutMs);
  }

  private static <T> T get(CompletableFuture<T> future, long timeoutMs) throws Exception {
    return future.get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
