package io.graphloop.graph;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON schemas of chat messages in LangChain's message format (what {@code io.graphloop.agents.Message}
 * serializes to), as LangGraph 1.2.12's {@code get_input_jsonschema()} gives them for a
 * {@code list[AnyMessage]} channel: an array whose items are one of the message types, each a {@code $defs} entry
 * named as LangChain names it ({@code AIMessage}, {@code HumanMessage}, {@code SystemMessage}, {@code ToolMessage},
 * with {@code ToolCall}). LangChain's docstrings ({@code description}) and its chunk and legacy types
 * ({@code AIMessageChunk}, {@code ChatMessage}, {@code FunctionMessage}) are left out: Graphloop's messages are these
 * four.
 *
 * <p>Stateless and thread-safe; every call returns new objects.
 */
final class MessageSchemas {

  /** The message types, in LangChain's order, by their {@code type} field. */
  private static final String[][] TYPES = {
      {"AIMessage", "ai"}, {"HumanMessage", "human"}, {"SystemMessage", "system"}, {"ToolMessage", "tool"}};

  private MessageSchemas() {
  }

  /** {@code {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/AIMessage"}, ...]}}}. */
  static JsonObject list() {
    JsonArray refs = new JsonArray();
    for (String[] type : TYPES) {
      refs.add(ref(type[0]));
    }
    return new JsonObject().put("items", new JsonObject().put("oneOf", refs)).put("type", "array");
  }

  /** One message of any type: the same {@code oneOf}, for a component that is a single message. */
  static JsonObject one() {
    return list().getJsonObject("items");
  }

  /** Adds the definitions {@link #list()} refers to to {@code defs}. */
  static void define(JsonObject defs) {
    for (String[] type : TYPES) {
      defs.put(type[0], message(type[0], type[1]));
    }
    defs.put("ToolCall", toolCall());
  }

  private static JsonObject message(String title, String type) {
    JsonObject properties = new JsonObject()
        .put("content", new JsonObject().put("anyOf", new JsonArray().add(string()).add(new JsonObject()
            .put("items", new JsonObject().put("anyOf", new JsonArray().add(string()).add(anyObject())))
            .put("type", "array"))).put("title", "Content"))
        .put("additional_kwargs", anyObject().put("title", "Additional Kwargs"))
        .put("response_metadata", anyObject().put("title", "Response Metadata"))
        .put("type", new JsonObject().put("const", type).put("default", type).put("title", "Type").put("type", "string"))
        .put("name", nullable(string(), "Name"))
        .put("id", nullable(string(), "Id"));
    JsonArray required = new JsonArray().add("content");
    if (type.equals("ai")) {
      properties.put("tool_calls", new JsonObject().put("items", ref("ToolCall")).put("title", "Tool Calls")
              .put("type", "array"))
          .put("invalid_tool_calls", new JsonObject().put("items", anyObject()).put("title", "Invalid Tool Calls")
              .put("type", "array"))
          .put("usage_metadata", new JsonObject().put("anyOf", new JsonArray().add(anyObject()).add(nullType()))
              .put("default", null));
    } else if (type.equals("tool")) {
      properties.put("tool_call_id", string().put("title", "Tool Call Id"))
          .put("artifact", new JsonObject().put("default", null).put("title", "Artifact"))
          .put("status", new JsonObject().put("default", "success").put("enum", new JsonArray().add("success")
              .add("error")).put("title", "Status").put("type", "string"));
      required.add("tool_call_id");
    }
    return new JsonObject().put("additionalProperties", true).put("properties", properties).put("required", required)
        .put("title", title).put("type", "object");
  }

  private static JsonObject toolCall() {
    JsonObject properties = new JsonObject()
        .put("name", string().put("title", "Name"))
        .put("args", anyObject().put("title", "Args"))
        .put("id", new JsonObject().put("anyOf", new JsonArray().add(string()).add(nullType())).put("title", "Id"))
        .put("type", new JsonObject().put("const", "tool_call").put("title", "Type").put("type", "string"));
    return new JsonObject().put("additionalProperties", true).put("properties", properties)
        .put("required", new JsonArray().add("name").add("args").add("id")).put("title", "ToolCall")
        .put("type", "object");
  }

  private static JsonObject ref(String name) {
    return new JsonObject().put("$ref", "#/$defs/" + name);
  }

  private static JsonObject string() {
    return new JsonObject().put("type", "string");
  }

  private static JsonObject nullType() {
    return new JsonObject().put("type", "null");
  }

  private static JsonObject anyObject() {
    return new JsonObject().put("additionalProperties", true).put("type", "object");
  }

  private static JsonObject nullable(JsonObject schema, String title) {
    return new JsonObject().put("anyOf", new JsonArray().add(schema).add(nullType())).put("default", null)
        .put("title", title);
  }
}
