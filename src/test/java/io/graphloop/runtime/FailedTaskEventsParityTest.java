package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The {@code tasks} and {@code debug} result events of a node that fails, as LangGraph 1.2.12 streams them: the error
 * is the node's exception as LangGraph's clients see one ({@code {"error": <class>, "message"}}), the result empty,
 * no interrupts. Expected values: src/test/resources/langgraph/task_errors.py (its {@code ValueError} is a Java
 * exception here; Graphloop's task events also carry {@code attempt} and {@code durationMs}, left out below).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FailedTaskEventsParityTest {

  @Test
  @SuppressWarnings("unchecked")
  void aFailedTaskResultCarriesTheNodesExceptionAsLangGraphsDoes(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("failing").channel("x", Channels.lastValue())
        .addNode("ok", s -> Future.succeededFuture(Map.of("x", 2)))
        .addNode("bad", s -> Future.failedFuture(new IllegalArgumentException("boom")))
        .addEdge(START, "ok").addEdge(START, "bad").compile());
    List<StreamEvent> events = new ArrayList<>();
    Promise<Throwable> failure = Promise.promise();
    vertx.runOnContext(v -> {
      RunEventStream stream = client.stream(Map.of("x", 1), new RunOptions().setThreadId("1"), StreamMode.TASKS,
          StreamMode.DEBUG);
      stream.handler(events::add);
      stream.exceptionHandler(failure::tryComplete);
      stream.endHandler(end -> failure.tryFail("the run did not fail"));
    });
    assertInstanceOf(NodeFailedException.class, result(failure.future()), "the run fails");
    List<Object> failed = new ArrayList<>();
    for (StreamEvent event : events) {
      Map<String, Object> data = event.event() == StreamEventType.TASKS ? event.data()
          : event.event() == StreamEventType.DEBUG && "task_result".equals(event.data().get("type"))
          ? (Map<String, Object>) event.data().get("payload") : null;
      if (data != null && "bad".equals(data.get("name")) && data.containsKey("result")) {
        Map<String, Object> shown = new LinkedHashMap<>(data);
        shown.remove("attempt");
        shown.remove("durationMs");
        shown.put("id", "<id>");
        failed.add(list(event.event().wireName(), shown));
      }
    }
    Map<String, Object> expected = map("id", "<id>", "name", "bad",
        "error", map("error", "IllegalArgumentException", "message", "boom"), "result", Map.of(),
        "interrupts", List.of());
    assertEquals(List.of(list("tasks", expected), list("debug", expected)), failed);
  }
}
