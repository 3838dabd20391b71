package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code checkpoints} and {@code debug} stream events name their checkpoints as LangGraph does (LangGraph 1.2.12's
 * {@code stream_mode=["checkpoints", "debug"]} on an {@code InMemorySaver} and the JS reference server's debug
 * events, captured 2026-12-05): each checkpoint's {@code config.configurable} has the thread, {@code checkpoint_ns}
 * and {@code checkpoint_id}, {@code parent_config} the parent's (null for the thread's first); the server's debug
 * payload adds {@code checkpoint} / {@code parent_checkpoint} ({@code {thread_id, checkpoint_ns, checkpoint_id,
 * checkpoint_map}}). The ids are those the thread's history then lists, in the same order.
 */
class ServerCheckpointEventsTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  @Test
  void checkpointEventsCarryTheIdsTheHistoryLists() {
    String thread = server.thread();
    ServerFixture.Stream first = server.stream("/threads/" + thread + "/runs/stream", new JsonObject()
        .put("assistant_id", "echo").put("input", new JsonObject().put("in", "a"))
        .put("stream_mode", new JsonArray().add("checkpoints").add("debug")), 1_000);
    ServerFixture.Stream second = server.stream("/threads/" + thread + "/runs/stream", new JsonObject()
        .put("assistant_id", "echo").put("input", new JsonObject().put("in", "b"))
        .put("stream_mode", new JsonArray().add("checkpoints").add("debug")), 1_000);

    List<String> streamed = new ArrayList<>();
    String parent = null;
    for (ServerFixture.Stream stream : List.of(first, second)) {
      List<JsonObject> debugCheckpoints = new ArrayList<>();
      for (ServerFixture.Event event : stream.events()) {
        if (event.event().equals("debug") && "checkpoint".equals(event.json().getString("type"))) {
          debugCheckpoints.add(event.json().getJsonObject("payload"));
        }
      }
      int index = 0;
      for (ServerFixture.Event event : stream.events()) {
        if (!event.event().equals("checkpoints")) {
          continue;
        }
        JsonObject checkpoint = event.json();
        JsonObject configurable = checkpoint.getJsonObject("config").getJsonObject("configurable");
        assertEquals(thread, configurable.getString("thread_id"));
        assertEquals("", configurable.getString("checkpoint_ns"));
        String id = configurable.getString("checkpoint_id");
        if (parent == null) {
          assertNull(checkpoint.getValue("parent_config"), "the thread's first checkpoint has no parent");
        } else {
          assertEquals(parent, checkpoint.getJsonObject("parent_config").getJsonObject("configurable")
              .getString("checkpoint_id"), "each checkpoint's parent is the one streamed before it");
        }
        JsonObject debug = debugCheckpoints.get(index++);
        assertEquals(checkpoint.getJsonObject("config"), debug.getJsonObject("config"));
        assertEquals(new JsonObject().put("thread_id", thread).put("checkpoint_ns", "").put("checkpoint_id", id)
            .put("checkpoint_map", null), debug.getJsonObject("checkpoint"));
        assertEquals(parent == null ? null : new JsonObject().put("thread_id", thread).put("checkpoint_ns", "")
            .put("checkpoint_id", parent).put("checkpoint_map", null), debug.getJsonObject("parent_checkpoint"));
        streamed.add(id);
        parent = id;
      }
      assertEquals(debugCheckpoints.size(), index, "one checkpoints event per debug checkpoint event");
    }
    assertEquals(6, streamed.size(), "input, after START, after echo, for each of the two runs: " + streamed);

    List<String> history = new ArrayList<>();
    server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array()
        .forEach(state -> history.add(((JsonObject) state).getString("checkpoint_id")));
    Collections.reverse(history);
    assertEquals(history, streamed, "the streamed ids are the saved checkpoints', oldest first");
  }
}
