package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /threads/{thread_id}/stream} ({@link ThreadStreams}; the SDKs' {@code threads.join_stream}): a thread's
 * runs one after another, each ended by {@code metadata} {@code run_done}, ids {@code <run>:<event>}; resumption
 * after a {@code Last-Event-ID} (and {@code -}: from the oldest kept run); {@code lifecycle} and {@code state_update}
 * modes; bad modes 422, unknown threads 404; and the Python SDK's {@code threads.join_stream} against it. Real HTTP on
 * 127.0.0.1 ({@link ServerFixture}); the stream is read on a thread of its own, every wait bounded.
 */
class ThreadStreamTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  private static JsonObject slow(int delayMs) {
    return new JsonObject().put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", delayMs))
        .put("multitask_strategy", "enqueue").put("stream_mode", new JsonArray().add("values").add("custom"));
  }

  private static Predicate<List<ServerFixture.Event>> runsDone(int runs) {
    return events -> events.stream().filter(ThreadStreamTest::isRunDone).count() >= runs;
  }

  private static boolean isRunDone(ServerFixture.Event event) {
    return "metadata".equals(event.event()) && "run_done".equals(event.json().getString("status"));
  }

  private static CompletableFuture<ServerFixture.Stream> open(String path, Predicate<List<ServerFixture.Event>> done,
                                                              String... headers) {
    return CompletableFuture.supplyAsync(() -> server.streamUntil(path, null, done, headers));
  }

  private static ServerFixture.Stream await(CompletableFuture<ServerFixture.Stream> stream) throws Exception {
    return stream.get(ServerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Waits until the thread's stream is listened to (its first request reached the server). */
  private static void settle() throws InterruptedException {
    Thread.sleep(300);
  }

  @Test
  void followsTheThreadsRunsOneAfterAnotherAndResumes() throws Exception {
    String thread = server.thread();
    CompletableFuture<ServerFixture.Stream> reading = open("/threads/" + thread + "/stream", runsDone(2));
    settle();
    String first = server.post("/threads/" + thread + "/runs", slow(200)).json().getString("run_id");
    String second = server.post("/threads/" + thread + "/runs", slow(1)).json().getString("run_id");
    ServerFixture.Stream stream = await(reading);
    assertEquals(200, stream.status());
    assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertEquals("/threads/" + thread + "/stream", stream.headers().firstValue("Location").orElse(""));
    List<ServerFixture.Event> events = stream.events();
    // first's events (metadata first, with its id), its run_done, then second's, in order
    assertEquals(first, events.get(0).json().getString("run_id"), events.toString());
    assertEquals(first + ":0", events.get(0).id());
    int done = events.indexOf(events.stream().filter(ThreadStreamTest::isRunDone).findFirst().orElseThrow());
    assertEquals(first, events.get(done).json().getString("run_id"));
    assertEquals(first + ":done", events.get(done).id());
    assertEquals(second, events.get(done + 1).json().getString("run_id"), events.toString());
    assertTrue(events.subList(1, done).stream().allMatch(e -> e.id().startsWith(first + ":")
        && List.of("values", "custom").contains(e.event())), events.toString());
    JsonObject last = events.get(done - 1).json();
    assertEquals(new JsonArray().add("first").add("second"), last.getJsonArray("trail"), events.toString());

    // resumed after one of first's events: the rest of first, then second
    ServerFixture.Stream resumed = await(open("/threads/" + thread + "/stream", runsDone(2), "Last-Event-ID",
        events.get(1).id()));
    assertEquals(events.subList(2, events.size()).toString(), resumed.events().toString());
    // "-": every run still kept, from its beginning
    assertEquals(events.toString(), await(open("/threads/" + thread + "/stream", runsDone(2), "Last-Event-ID", "-"))
        .events().toString());
  }

  @Test
  void lifecycleSendsOnlyEachRunsStartAndEnd() throws Exception {
    String thread = server.thread();
    CompletableFuture<ServerFixture.Stream> reading = open("/threads/" + thread + "/stream?stream_mode=lifecycle",
        runsDone(2));
    settle();
    String first = server.post("/threads/" + thread + "/runs", slow(100)).json().getString("run_id");
    String second = server.post("/threads/" + thread + "/runs", slow(1)).json().getString("run_id");
    List<String> seen = new ArrayList<>();
    for (ServerFixture.Event event : await(reading).events()) {
      assertEquals("metadata", event.event(), event.toString());
      seen.add(event.json().getString("run_id") + "/" + event.json().getString("status", "started"));
    }
    assertEquals(List.of(first + "/started", first + "/run_done", second + "/started", second + "/run_done"), seen);
  }

  @Test
  void stateUpdatesAreStreamedInTheirMode() throws Exception {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "a")));
    CompletableFuture<ServerFixture.Stream> reading = open("/threads/" + thread + "/stream?stream_modes=state_update",
        events -> !events.isEmpty());
    settle();
    JsonObject updated = server.post("/threads/" + thread + "/state", new JsonObject()
        .put("values", new JsonObject().put("out", "edited")).put("as_node", "echo")).json();
    ServerFixture.Event event = await(reading).events().get(0);
    assertEquals("state_update", event.event());
    JsonObject data = event.json();
    assertEquals(thread, data.getString("thread_id"));
    assertEquals(new JsonObject().put("out", "edited"), data.getJsonObject("values"));
    assertEquals("echo", data.getString("as_node"));
    assertEquals(updated.getJsonObject("checkpoint"), data.getJsonObject("checkpoint"));
  }

  @Test
  void badModesAndUnknownThreadsAreRefused() {
    String thread = server.thread();
    ServerFixture.Answer bad = server.get("/threads/" + thread + "/stream?stream_mode=values");
    assertEquals(422, bad.status(), bad.body());
    assertTrue(bad.detail().contains("'values'") && bad.detail().contains("run_modes"), bad.body());
    assertEquals(404, server.get("/threads/00000000-0000-0000-0000-000000000000/stream").status());
  }

  @Test
  void thePythonSdksJoinStreamFollowsTheThread() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_thread_stream.py", server.base, 120);
    assertTrue(result.output().contains("ok join_stream"), result.output());
  }
}
