package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;

/**
 * What {@link ErrorHandlersTest} and {@link NodeDefaultsTest} share to port LangGraph 1.2.12's test_retry.py: its
 * answers ({@code error_handlers.json}, written by {@code error_handlers.py} beside it), the graphs and policies its
 * tests build ({@code foo}, a retry on LangGraph's {@code ValueError}), deploying and invoking them, and the scripts'
 * reductions (a failure's text, the {@code updates} and {@code tasks} streams). LangGraph's {@code ValueError} is an
 * {@link IllegalStateException} here, its {@code RuntimeError} a {@link RuntimeException}. Test code; stateless.
 */
final class ErrorHandlerFixtures {

  private ErrorHandlerFixtures() {
  }

  /** LangGraph's answers, one object per scenario. */
  static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/error_handlers.json");

  /** {@code value} as JSON compares it (maps and lists as JsonObject/JsonArray). */
  static Object json(Object value) {
    return new JsonObject().put("v", value).getValue("v");
  }

  static Future<Object> fail(RuntimeException e) {
    return Future.failedFuture(e);
  }

  static StateGraph foo(String name) {
    return new StateGraph(name).channel("foo", Channels.lastValue());
  }

  static RetryPolicy valueErrors(int attempts) {
    return RetryPolicy.builder().maxAttempts(attempts).initialIntervalMs(10).jitterMs(0)
        .retryOn(IllegalStateException.class).build();
  }

  /** The root message of a failed run: its node's own exception's, as LangGraph's {@code str(e)}. */
  static String failureText(Throwable failure) {
    Throwable own = failure instanceof NodeFailedException && failure.getCause() != null ? failure.getCause() : failure;
    String type = own instanceof IllegalStateException ? "ValueError" : "RuntimeError";
    return type + ": " + own.getMessage();
  }

  static List<Object> updates(Vertx vertx, GraphClient client, Map<String, Object> input) {
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(input, new RunOptions(), StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        chunks.add(event.data());
      }
    }
    return chunks;
  }

  /** The {@code tasks} stream as the script reduces it: {@code [name, "start"]} or {@code [name, result, failed]}. */
  static List<Object> tasks(Vertx vertx, GraphClient client, Map<String, Object> input) {
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(input, new RunOptions(), StreamMode.TASKS)))) {
      if (!event.isTerminal()) {
        Map<String, Object> data = event.data();
        chunks.add(data.containsKey("input") ? List.of(data.get("name"), "start")
            : List.of(data.get("name"), data.get("result"), data.get("error") != null));
      }
    }
    return chunks;
  }

  /** {@code graph} deployed with the default options; its client. */
  static GraphClient client(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph)).client();
  }

  /** {@code graph} deployed with {@code options}; its client. */
  static GraphClient client(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options) {
    return result(GraphRuntime.deploy(vertx, graph, options)).client();
  }

  /** The final values of a run from {@code {"foo": ""}}, the input of most of the ported tests, as JSON. */
  static Object invokeFoo(GraphClient client) {
    return json(result(client.invoke(Map.of("foo", ""))).asMap());
  }
}
