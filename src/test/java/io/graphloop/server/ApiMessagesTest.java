package io.graphloop.server;

import io.graphloop.run.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ApiMessages}: the bus's {@code messages} events as LangGraph Server's {@code messages-tuple} and
 * {@code messages} SSE events (langgraph-api's stream.py: metadata once per message id, partials accumulated as
 * {@code message_chunk_to_message} makes them, whole messages as complete).
 */
class ApiMessagesTest {

  private static StreamEvent chunk(long seq, String id, String content, JsonArray toolCallChunks) {
    JsonObject message = new JsonObject().put("content", content).put("type", "AIMessageChunk").put("id", id)
        .put("response_metadata", new JsonObject()).put("tool_call_chunks", toolCallChunks == null ? new JsonArray()
            : toolCallChunks);
    return new StreamEvent("r1", seq, io.graphloop.run.StreamEventType.MESSAGES, 1, "agent", "", Map.of("message", message.getMap(),
        "metadata", Map.of("langgraph_node", "agent", "langgraph_step", 1)));
  }

  @Test
  void tupleModeSendsMessageAndMetadataPairs() {
    List<String[]> out = new ArrayList<>();
    new ApiMessages(List.of("messages-tuple")).onEvent(chunk(1, "m1", "He", null), "",
        (name, data) -> out.add(new String[] {name, data}));
    assertEquals(1, out.size());
    assertEquals("messages", out.get(0)[0]);
    JsonArray pair = new JsonArray(out.get(0)[1]);
    assertEquals("He", pair.getJsonObject(0).getString("content"));
    assertEquals("agent", pair.getJsonObject(1).getString("langgraph_node"));
  }

  @Test
  void messagesModeSendsMetadataOnceThenAccumulatedPartialsAndWholeMessagesAsComplete() {
    List<String[]> out = new ArrayList<>();
    ApiMessages messages = new ApiMessages(List.of("messages"));
    messages.onEvent(chunk(1, "m1", "Hel", null), "", (name, data) -> out.add(new String[] {name, data}));
    messages.onEvent(chunk(2, "m1", "lo", new JsonArray().add(new JsonObject().put("index", 0).put("id", "c1")
        .put("name", "add").put("args", "{\"a\": 1"))), "", (name, data) -> out.add(new String[] {name, data}));
    messages.onEvent(chunk(3, "m1", "", new JsonArray().add(new JsonObject().put("index", 0)
        .put("args", ", \"b\": 2}"))), "", (name, data) -> out.add(new String[] {name, data}));
    messages.onEvent(new StreamEvent("r1", 4, io.graphloop.run.StreamEventType.MESSAGES, 2, "tools", "", Map.of("message", Map.of("type", "tool",
        "content", "3", "id", "t1", "tool_call_id", "c1"), "metadata", Map.of())), "|sub:1",
        (name, data) -> out.add(new String[] {name, data}));
    assertEquals(List.of("messages/metadata", "messages/partial", "messages/partial", "messages/partial",
        "messages/metadata|sub:1", "messages/complete|sub:1"), out.stream().map(e -> e[0]).toList());
    assertEquals("agent", new JsonObject(out.get(0)[1]).getJsonObject("m1").getJsonObject("metadata")
        .getString("langgraph_node"));
    JsonObject second = new JsonArray(out.get(2)[1]).getJsonObject(0);
    assertEquals("Hello", second.getString("content"));
    assertEquals("ai", second.getString("type"));
    assertEquals(1, second.getJsonArray("invalid_tool_calls").size(), "arguments still streaming");
    JsonObject last = new JsonArray(out.get(3)[1]).getJsonObject(0);
    assertEquals("Hello", last.getString("content"));
    assertEquals(new JsonObject().put("name", "add").put("args", new JsonObject().put("a", 1).put("b", 2))
        .put("id", "c1").put("type", "tool_call"), last.getJsonArray("tool_calls").getJsonObject(0));
    assertEquals(0, last.getJsonArray("invalid_tool_calls").size());
    assertEquals("3", new JsonArray(out.get(5)[1]).getJsonObject(0).getString("content"));
  }
}
