package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graphloop.server.ServerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server's thread records follow the threads' checkpoints: when thread retention deletes an idle thread's
 * checkpoints, every server that knew the thread drops its record (404 afterwards, gone from search); and deleting a
 * thread over HTTP deletes its checkpoints (the bus answers 404 for it) and drops the record on the other server too.
 * Two servers in front of one graph deployment with retention on; real HTTP on 127.0.0.1.
 */
class ServerRetentionTest {

  private static Vertx vertx;
  private static GraphRuntime runtime;
  private static WebCalls toA;
  private static WebCalls toB;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // a TTL of a few microseconds: every thread is idle by the time a sweep is asked for (no timer: sweeps by hand)
    runtime = await(GraphRuntime.deploy(vertx, SdkGraphs.echo(), new GraphRuntimeOptions()
        .setCheckpointer(new JsonObject().put("type", "memory")).setThreadTtlMinutes(1e-7)
        .setRetentionSweepIntervalMs(0)));
    ServerVerticle a = new ServerVerticle(List.of(SdkGraphs.echo()), new ServerOptions().setHost("127.0.0.1")
        .setPort(0));
    ServerVerticle b = new ServerVerticle(List.of(SdkGraphs.echo()), new ServerOptions().setHost("127.0.0.1")
        .setPort(0));
    await(vertx.deployVerticle(a).compose(v -> vertx.deployVerticle(b)));
    toA = new WebCalls(a.actualPort());
    toB = new WebCalls(b.actualPort());
  }

  @AfterAll
  static void stop() {
    toA.close();
    toB.close();
    await(vertx.close());
  }

  private static String ranThread() {
    String thread = toA.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
    JsonObject done = toA.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "echo").put("input", new JsonObject().put("in", "x"))).bodyAsJsonObject();
    assertEquals("x!", done.getString("out"));
    assertEquals(200, toB.call(HttpMethod.GET, "/threads/" + thread, null).statusCode(), "B adopted it");
    return thread;
  }

  @Test
  void retentionDeletingAThreadDropsEveryServersRecord() throws InterruptedException {
    String thread = ranThread();
    int deleted = await(runtime.retention().sweep());
    assertTrue(deleted >= 1, "the sweep deleted the idle thread: " + deleted);
    awaitGone(toA, thread);
    awaitGone(toB, thread);
    assertTrue(toA.call(HttpMethod.POST, "/threads/search", new JsonObject().put("limit", 100)).bodyAsJsonArray()
        .stream().noneMatch(t -> thread.equals(((JsonObject) t).getString("thread_id"))), "not found by search");
  }

  @Test
  void deletingAThreadOverHttpDeletesItsCheckpointsAndTheOtherServersRecord() throws InterruptedException {
    String thread = ranThread();
    assertEquals(204, toA.call(HttpMethod.DELETE, "/threads/" + thread, null).statusCode());
    GraphloopException missing = assertInstanceOf(GraphloopException.class, failure(GraphClient.create(vertx, "echo")
        .getState(thread)));
    assertEquals(FailureCode.UNKNOWN_TARGET, missing.code(), "the checkpoints are gone: " + missing.getMessage());
    assertEquals(404, toA.call(HttpMethod.GET, "/threads/" + thread, null).statusCode());
    awaitGone(toB, thread);
  }

  private static Throwable failure(io.vertx.core.Future<?> future) {
    try {
      await(future);
    } catch (IllegalStateException e) {
      return e.getCause() instanceof java.util.concurrent.ExecutionException ? e.getCause().getCause() : e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  /** Waits (bounded) until {@code server} answers 404 for the thread: the deletion is published, then heard. */
  private static void awaitGone(WebCalls server, String thread) throws InterruptedException {
    int status = 0;
    for (int i = 0; i < 200 && (status = server.call(HttpMethod.GET, "/threads/" + thread, null).statusCode()) != 404;
         i++) {
      Thread.sleep(25);
    }
    assertEquals(404, status, "the server dropped its record of thread " + thread);
  }
}
