package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run's config ({@code RunOptions.config}, LangGraph's {@code configurable}) in the metadata of every checkpoint it
 * saves, as LangGraph 1.2.12's {@code get_checkpoint_metadata}: strings, numbers and booleans, not {@code "__"} keys,
 * not LangGraph's excluded keys, not values of other types; a resumed run's checkpoints carry the resumed run's
 * config, an update's none ({@code test_checkpoint_metadata} of {@code test_pregel.py}). The expected metadata is the
 * output of src/test/resources/langgraph/checkpoint_metadata.py; Graphloop's own keys ({@code runId}, {@code ran})
 * are left out of the comparison.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CheckpointMetadataParityTest {

  private static StateGraph loop(String name) {
    return new StateGraph(name).channel("items", Channels.append()).strictChannels()
        .addNode("agent", s -> Future.succeededFuture(Map.of("items", List.of("a"))))
        .addNode("tools", s -> Future.succeededFuture(Map.of("items", List.of("t"))))
        .setEntryPoint("agent")
        .addConditionalEdges("agent", s -> ((List<?>) s.get("items")).size() < 3 ? "continue" : "exit",
            Map.of("continue", "tools", "exit", END))
        .addEdge("tools", "agent");
  }

  /** LangGraph's part of each checkpoint's metadata, newest first (Graphloop's runId and ran left out). */
  private static List<Object> metadata(GraphClient client, String thread) {
    List<Object> out = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory(thread, 0, null))) {
      out.add(langGraphs(state));
    }
    return out;
  }

  private static Map<String, Object> langGraphs(ThreadState state) {
    Map<String, Object> metadata = new LinkedHashMap<>(state.metadata());
    metadata.remove("runId");
    metadata.remove(RunCheckpoints.RAN);
    metadata.remove("asNode");
    return metadata;
  }

  private static Map<String, Object> expected(String source, int step, Object... config) {
    Map<String, Object> metadata = map("source", source, "step", step, "parents", Map.of());
    metadata.putAll(map(config));
    return metadata;
  }

  @Test
  void testCheckpointMetadata(Vertx vertx) {
    GraphClient client = deploy(vertx, loop("checkpoint-metadata").compile());
    JsonObject config = new JsonObject().put("test_config_1", "foo").put("test_config_2", "bar").put("count", 2)
        .put("ratio", 0.5).put("flag", true).putNull("none").put("obj", new JsonObject().put("a", 1))
        .put("list", new JsonArray().add(1)).put("__hidden", "h").put("checkpoint_ns", "").put("langgraph_step", 3);
    assertEquals(Map.of("items", List.of("x", "a", "t", "a")), result(client.run(Map.of("items", List.of("x")),
        new RunOptions().setThreadId("1").setConfig(config))).values().asMap());
    Object[] kept = {"test_config_1", "foo", "test_config_2", "bar", "count", 2, "ratio", 0.5, "flag", true};
    assertEquals(List.of(expected("loop", 3, kept), expected("loop", 2, kept), expected("loop", 1, kept),
        expected("loop", 0, kept), expected("input", -1, kept)), metadata(client, "1"));

    GraphClient interrupting = deploy(vertx, loop("checkpoint-metadata-interrupt").interruptBefore("tools").compile());
    assertEquals(Map.of("items", List.of("x", "a")), result(interrupting.run(Map.of("items", List.of("x")),
        new RunOptions().setThreadId("2").setConfig(new JsonObject().put("test_config_3", "foo")
            .put("test_config_4", "bar")))).values().asMap());
    assertEquals(expected("loop", 1, "test_config_3", "foo", "test_config_4", "bar"),
        langGraphs(result(interrupting.getState("2"))));
    assertEquals(Map.of("items", List.of("x", "a", "t", "a")), result(interrupting.proceed(new RunOptions()
        .setThreadId("2").setConfig(new JsonObject().put("test_config_3", "foo2").put("resumed", "yes"))))
        .values().asMap());
    result(interrupting.updateState("2", Map.of("items", List.of("u")), null));
    Object[] first = {"test_config_3", "foo", "test_config_4", "bar"};
    Object[] resumed = {"test_config_3", "foo2", "resumed", "yes"};
    assertEquals(List.of(expected("update", 4), expected("loop", 3, resumed), expected("loop", 2, resumed),
        expected("loop", 1, first), expected("loop", 0, first), expected("input", -1, first)),
        metadata(interrupting, "2"));
  }
}
