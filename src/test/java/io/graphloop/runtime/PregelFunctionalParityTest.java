package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Functional API tests of {@code libs/langgraph/tests/test_pregel.py} (each method names the one it mirrors): chained
 * task calls streamed as {@code updates} under each durability, and a task's failure caught by its entrypoint. The
 * expected values are what src/test/resources/langgraph/pregel_functional.py printed against LangGraph 1.2.12
 * (pregel_functional.json), compared whole; a Python tuple is a JSON list, and a Java task takes one argument (bar's
 * two are one list here). The thread's state is the entrypoint's {@code output} value (LangGraph's {@code values}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class PregelFunctionalParityTest {

  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PregelFunctionalParityTest.class.getResourceAsStream("/langgraph/pregel_functional.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static JsonArray updates(List<StreamEvent> events) {
    JsonArray chunks = new JsonArray();
    for (StreamEvent event : events) {
      if (event.event().wireName().equals("updates")) {
        chunks.add(new JsonObject(new LinkedHashMap<>(event.data())));
      }
    }
    return chunks;
  }

  /** test_imp_stream_order: foo, bar, baz chained, each call's result streamed, then the entrypoint's. */
  @ParameterizedTest
  @ValueSource(strings = {"sync", "async", "exit"})
  @SuppressWarnings("unchecked")
  void testImpStreamOrder(String durability, Vertx vertx) {
    Task<Map<String, Object>, List<Object>> foo = Task.of("foo", (state, ctx) ->
        Future.succeededFuture(List.of(state.get("a") + "foo", "bar")));
    Task<List<Object>, Map<String, Object>> bar = Task.of("bar", (args, ctx) -> Future.succeededFuture(
        map("a", (String) args.get(0) + args.get(1), "c", (args.size() > 2 && args.get(2) != null ? args.get(2) : "")
            + "bark")));
    Task<Map<String, Object>, Map<String, Object>> baz = Task.of("baz", (state, ctx) ->
        Future.succeededFuture(map("a", state.get("a") + "baz", "c", "something else")));
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Map<String, Object>>of("graph", (state, ctx) ->
        ctx.call(foo, state).compose(f -> ctx.call(bar, f)).compose(b -> ctx.call(baz, b))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1").setDurability(Durability.of(durability));
    JsonArray chunks = updates(result(collect(vertx, () -> client.stream(Entrypoint.input(map("a", "0")), thread,
        StreamMode.UPDATES))));
    Object state = result(client.getState("1", null)).values().get(Entrypoint.OUTPUT);
    JsonObject got = new JsonObject().put("updates", chunks).put("state", new JsonObject((Map<String, Object>) state));
    assertEquals(expected.getJsonObject("test_imp_stream_order[" + durability + "]").encodePrettily(),
        got.encodePrettily());
  }

  /** test_imp_exception: a task's failure caught by the entrypoint; a second run's updates on the thread. */
  @Test
  void testImpException(Vertx vertx) {
    Task<Integer, Integer> myTask = Task.of("my_task", (number, ctx) -> Future.succeededFuture(number * 2));
    Task<Integer, Integer> failing = Task.of("task_with_exception", (number, ctx) ->
        Future.failedFuture(new IllegalStateException("This is a test exception")));
    CompiledGraph graph = Entrypoint.<Integer, Object>of("my_workflow", (number, ctx) ->
        ctx.call(myTask, number)
            .compose(x -> ctx.call(failing, number).transform(caught -> Future.succeededFuture(0)))
            .compose(x -> ctx.call(myTask, number)).map(x -> (Object) "done")).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    JsonObject got = new JsonObject()
        .put("invoke", Entrypoint.output(result(client.run(Entrypoint.input(1), thread))))
        .put("updates", updates(result(collect(vertx, () -> client.stream(Entrypoint.input(1), thread,
            StreamMode.UPDATES)))));
    assertEquals(expected.getJsonObject("test_imp_exception").encodePrettily(), got.encodePrettily());
  }
}
