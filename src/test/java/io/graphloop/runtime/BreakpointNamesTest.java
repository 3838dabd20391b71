package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's breakpoints must name nodes of the graph (issue 11, item 10: {@code interruptBefore("aprove")} was
 * accepted and the run never stopped). An unknown name is refused as a bad request (400, the code the HTTP server
 * maps to its status) naming it and listing the known nodes, whichever way the run is sent. The compile-time name
 * rules are in {@code GraphValidatorTest}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BreakpointNamesTest {

  private static void assertRefused(Throwable failure, String field, String name) {
    GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
    assertEquals(FailureCode.BAD_REQUEST, e.code(), e.getMessage());
    assertEquals(400, e.code().code());
    assertTrue(e.getMessage().contains(field + " names unknown node '" + name + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("known nodes are [a, b, c]"), e.getMessage());
  }

  @Test
  void aMisspeltBreakpointIsRefusedFromAPlainThreadOnAThreadAndWithoutOne(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, ThreadStateTest.chain("names-thread"), MEMORY)).client();
    assertRefused(failure(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t")
        .setInterruptBefore(List.of("aprove")))), "RunOptions.interruptBefore", "aprove");
    assertRefused(failure(client.run(Map.of("log", "in"), new RunOptions().setInterruptAfter(List.of("b", "cc")))),
        "RunOptions.interruptAfter", "cc");
    // nothing ran on the thread, and a correctly spelt breakpoint still stops the run
    RunResult stopped = result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t")
        .setInterruptBefore(List.of("b"))));
    assertEquals(List.of(Map.of("node", "b", "when", "before")), stopped.interrupts());
    assertEquals(List.of("in", "a"), stopped.values().getList("log"));
  }

  @Test
  void aMisspeltBreakpointIsRefusedFromAnEventLoopAndForAStream(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, ThreadStateTest.chain("names-loop"), MEMORY)).client();
    Promise<RunResult> invoked = Promise.promise();
    Promise<Void> streamed = Promise.promise();
    vertx.runOnContext(v -> {
      client.run(Map.of("log", "in"), new RunOptions().setInterruptBefore(List.of("aprove"))).onComplete(invoked);
      RunEventStream stream = client.stream(Map.of("log", "in"), new RunOptions().setInterruptAfter(List.of("x")),
          StreamMode.VALUES);
      stream.handler(event -> streamed.tryFail("the refused run streamed " + event));
      stream.exceptionHandler(streamed::tryFail);
      stream.endHandler(end -> streamed.tryFail("ended without a failure"));
    });
    assertRefused(failure(invoked.future()), "RunOptions.interruptBefore", "aprove");
    assertRefused(failure(streamed.future()), "RunOptions.interruptAfter", "x");
  }

  @Test
  void aMisspeltBreakpointInARawJsonRequestIsAnswered400(Vertx vertx) {
    result(GraphRuntime.deploy(vertx, ThreadStateTest.chain("names-json"), MEMORY));
    JsonObject request = new JsonObject().put("input", new JsonObject().put("log", "in"))
        .put("options", new JsonObject().put("interruptBefore", new JsonArray().add("a").add("aprove")));
    Future<Object> reply = vertx.eventBus().request(Addresses.run("names-json"), request).map(m -> m.body());
    ReplyException e = assertInstanceOf(ReplyException.class, failure(reply));
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains("unknown node 'aprove' of graph 'names-json'; known nodes are [a, b, c]"),
        e.getMessage());
  }
}
