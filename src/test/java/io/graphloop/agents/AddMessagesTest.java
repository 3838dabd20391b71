package io.graphloop.agents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's {@code add_messages} (langgraph/graph/message.py; cases of libs/langgraph/tests/test_messages.py). Every
 * expected value was printed by LangGraph 1.2.12 running {@code src/test/resources/langgraph/add_messages.py} (the
 * line is named in each test); random UUID ids are checked to be UUIDs.
 */
class AddMessagesTest {

  private static JsonArray merged(Object left, Object right) {
    return new JsonArray((List<?>) AddMessages.INSTANCE.apply(left, right));
  }

  private static JsonArray golden(String json) {
    return new JsonArray(json);
  }

  /** Line 1: the four message kinds in LangChain's JSON format (model_dump). */
  @Test
  void messagesSerializeAsLangChainsJsonFormat() {
    List<Message> messages = List.of(new SystemMessage("s", "0"), new HumanMessage("h", "1"),
        new AiMessage("", List.of(new ToolCall("c1", "add", Map.of("a", 1))), "2"),
        new ToolMessage("3", "c1", "add", "3", ToolMessage.SUCCESS));
    assertEquals(golden("[{\"content\": \"s\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"system\", \"name\": null, \"id\": \"0\"}, {\"content\": \"h\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"1\"}, {\"content\": \"\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"ai\", \"name\": null, \"id\": \"2\", \"tool_calls\": [{\"name\": \"add\", \"args\": {\"a\": 1}, \"id\": \"c1\", \"type\": \"tool_call\"}], \"invalid_tool_calls\": [], \"usage_metadata\": null}, {\"content\": \"3\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"tool\", \"name\": \"add\", \"id\": \"3\", \"tool_call_id\": \"c1\", \"artifact\": null, \"status\": \"success\"}]"),
        merged(List.of(), messages));
    assertEquals(new JsonObject(messages.get(2).toMap()).encode(),
        new JsonObject(Message.from(messages.get(2).toMap()).toMap()).encode(), "reading a stored message back");
  }

  /** Line 2: a message with a held id replaces it in place; a new one is appended. */
  @Test
  void aMessageWithAHeldIdReplacesItInPlace() {
    assertEquals(golden("[{\"content\": \"Hello again\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"1\"}, {\"content\": \"x\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"ai\", \"name\": null, \"id\": \"2\", \"tool_calls\": [], \"invalid_tool_calls\": [], \"usage_metadata\": null}]"),
        merged(List.of(new HumanMessage("Hello", "1")),
            List.of(new HumanMessage("Hello again", "1"), new AiMessage("x", List.of(), "2"))));
  }

  /** Lines 3 and 4: RemoveMessage deletes; a later message with the same id puts it back. */
  @Test
  void removeMessageDeletesByIdAndALaterWriteOfTheIdKeepsIt() {
    assertEquals(golden("[{\"content\": \"b\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"ai\", \"name\": null, \"id\": \"2\", \"tool_calls\": [], \"invalid_tool_calls\": [], \"usage_metadata\": null}]"),
        merged(List.of(new HumanMessage("a", "1"), new AiMessage("b", List.of(), "2")), List.of(Message.remove("1"))));
    assertEquals(golden("[{\"content\": \"again\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"1\"}]"),
        merged(List.of(new HumanMessage("a", "1")), List.of(Message.remove("1"), new HumanMessage("again", "1"))));
  }

  /** Line 5: REMOVE_ALL_MESSAGES keeps only what follows it. */
  @Test
  void removeAllKeepsOnlyTheMessagesAfterIt() {
    assertEquals(golden("[{\"content\": \"y\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"3\"}]"),
        merged(List.of(new HumanMessage("a", "1")),
            List.of(new HumanMessage("x", "2"), Message.removeAll(), new HumanMessage("y", "3"))));
  }

  /** Line 6: removing an id that is not held is refused with LangGraph's message. */
  @Test
  void removingAnUnknownIdIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> merged(List.of(new HumanMessage("a", "1")), List.of(Message.remove("9"))));
    assertEquals("Attempting to delete a message with an ID that doesn't exist ('9')", e.getMessage());
  }

  /** Line 7: dicts, pairs and strings are coerced, and messages without an id get a UUID. */
  @Test
  void dictsPairsAndStringsAreCoercedAndGetUuids() {
    JsonArray got = merged(List.of(), List.of(Map.of("role", "user", "content", "hi"),
        Map.of("role", "assistant", "content", "yo", "id", "a"), List.of("system", "sys"), "plain",
        Map.of("type", "tool", "content", "t", "tool_call_id", "c")));
    JsonArray expected = golden("[{\"content\": \"hi\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"bd8bf4d5-35fe-4eec-940b-badb72cc17f3\"}, {\"content\": \"yo\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"ai\", \"name\": null, \"id\": \"a\", \"tool_calls\": [], \"invalid_tool_calls\": [], \"usage_metadata\": null}, {\"content\": \"sys\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"system\", \"name\": null, \"id\": \"0d70a222-212e-4d77-88a9-828eab4fad4a\"}, {\"content\": \"plain\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"bd39efaf-e609-4a4e-96da-6d233a6a03cc\"}, {\"content\": \"t\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"tool\", \"name\": null, \"id\": \"fffcb96f-e982-45ad-b730-e4c310493d29\", \"tool_call_id\": \"c\", \"artifact\": null, \"status\": \"success\"}]");
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      JsonObject g = got.getJsonObject(i).copy();
      JsonObject e = expected.getJsonObject(i);
      if (!"a".equals(e.getString("id"))) {
        UUID.fromString(g.getString("id"));
        g.put("id", e.getString("id"));
      }
      assertEquals(e, g, "message " + i);
    }
  }

  /** Line 8: a single message (not a list) is appended. */
  @Test
  void aSingleMessageIsAppended() {
    assertEquals(golden("[{\"content\": \"a\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"1\"}, {\"content\": \"b\", \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"human\", \"name\": null, \"id\": \"2\"}]"),
        merged(List.of(new HumanMessage("a", "1")), new HumanMessage("b", "2")));
  }

  /** Lines 9 and 10 (and their errors' wording): unknown roles and dicts without role/content are refused. */
  @Test
  void unknownRolesAndIncompleteDictsAreRefused() {
    IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
        () -> merged(List.of(), List.of(Map.of("role", "bogus", "content", "x"))));
    assertTrue(role.getMessage().startsWith("Unexpected message type: 'bogus'. Use one of 'human', 'user'"),
        role.getMessage());
    IllegalArgumentException keys = assertThrows(IllegalArgumentException.class,
        () -> merged(List.of(), List.of(Map.of("content", "x"))));
    assertEquals("Message dict must contain 'role' and 'content' keys, got {content=x}", keys.getMessage());
    assertThrows(IllegalArgumentException.class, () -> merged(List.of(), List.of(42)));
  }

  /** Line 12: content blocks are kept as they are. */
  @Test
  void contentBlocksAreKept() {
    AiMessage blocks = new AiMessage(List.of(Map.of("type", "text", "text", "hi")), List.of(), "p");
    assertEquals(golden("[{\"content\": [{\"type\": \"text\", \"text\": \"hi\"}], \"additional_kwargs\": {}, \"response_metadata\": {}, \"type\": \"ai\", \"name\": null, \"id\": \"p\", \"tool_calls\": [], \"invalid_tool_calls\": [], \"usage_metadata\": null}]"),
        merged(List.of(), blocks));
    assertEquals("hi", blocks.text());
  }

  /** Lines 13 and 14: OpenAI-style tool calls (arguments as JSON text) and LangChain's become the same tool call. */
  @Test
  void openAiAndLangChainToolCallsAreRead() {
    String expected = "[{\"name\": \"add\", \"args\": {\"a\": 1}, \"id\": \"c9\", \"type\": \"tool_call\"}]";
    JsonArray openAi = merged(List.of(), List.of(Map.of("role", "assistant", "content", "", "tool_calls",
        List.of(Map.of("id", "c9", "type", "function", "function", Map.of("name", "add", "arguments", "{\"a\": 1}"))))));
    JsonArray langChain = merged(List.of(), List.of(Map.of("type", "ai", "content", "", "tool_calls",
        List.of(Map.of("id", "c9", "name", "add", "args", Map.of("a", 1))))));
    assertEquals(golden(expected), openAi.getJsonObject(0).getJsonArray("tool_calls"));
    assertEquals(golden(expected), langChain.getJsonObject(0).getJsonArray("tool_calls"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> merged(List.of(),
        List.of(Map.of("role", "assistant", "content", "", "tool_calls",
            List.of(Map.of("id", "c9", "function", Map.of("name", "add", "arguments", "{oops")))))));
    assertTrue(bad.getMessage().contains("not a JSON object"), bad.getMessage());
  }

  /** Second script, line 2: other fields go to additional_kwargs, response_metadata is kept. */
  @Test
  void additionalKwargsAndResponseMetadataAreKept() {
    java.util.LinkedHashMap<String, Object> dict = new java.util.LinkedHashMap<>();
    dict.put("type", "human");
    dict.put("content", "h");
    dict.put("id", "1");
    dict.put("name", null);
    dict.put("additional_kwargs", Map.of("k", 1));
    dict.put("response_metadata", Map.of("r", 2));
    dict.put("example", false);
    assertEquals(golden("[{\"content\": \"h\", \"additional_kwargs\": {\"k\": 1}, \"response_metadata\": {\"r\": 2}, \"type\": \"human\", \"name\": null, \"id\": \"1\"}]"),
        merged(List.of(), List.of(dict)));
  }

  /** Second script, line 3: a tool dict keeps its status; a null content becomes "". */
  @Test
  void toolStatusIsKeptAndNullContentIsEmpty() {
    java.util.HashMap<String, Object> user = new java.util.HashMap<>();
    user.put("role", "user");
    user.put("content", null);
    user.put("id", "z");
    JsonArray got = merged(List.of(), List.of(Map.of("role", "tool", "content", "h", "tool_call_id", "c",
        "status", "error"), user, List.of("ai", "yo")));
    assertEquals("error", got.getJsonObject(0).getString("status"));
    assertEquals("", got.getJsonObject(1).getString("content"));
    assertEquals("ai", got.getJsonObject(2).getString("type"));
    assertEquals("yo", got.getJsonObject(2).getString("content"));
  }

  /** Held messages are stored maps: merging them again leaves them as they are (ids, usage and all). */
  @Test
  void storedMessagesMergeUnchanged() {
    AiMessage withUsage = new AiMessage("x", List.of(new ToolCall("c1", "add", Map.of("a", 1))), "2", null,
        Map.of("input_tokens", 1, "output_tokens", 2, "total_tokens", 3), List.of(), Map.of(), Map.of());
    Object once = AddMessages.INSTANCE.apply(List.of(), List.of(withUsage, "hi"));
    Object twice = AddMessages.INSTANCE.apply(once, List.of());
    assertEquals(once, twice);
  }
}
