package io.graphloop.agents;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a message from the forms LangChain's {@code convert_to_messages} accepts: a {@link Message}, a map in
 * LangChain's format ({@code type}) or OpenAI's ({@code role}), LangChain's serialized constructor envelope
 * ({@code {"lc": 1, "type": "constructor", "id": [..., "HumanMessage"], "kwargs": {...}}}), a {@code [role, content]}
 * pair, or a string. As in LangChain, a map's keys other than the message's fields go to {@code additional_kwargs};
 * OpenAI-style tool calls ({@code {"id", "type": "function", "function": {"name", "arguments": "<json>"}}}) become
 * LangChain's. Unlike LangChain, the fields of LangChain's own dump ({@code usage_metadata},
 * {@code invalid_tool_calls}, {@code artifact}, {@code status}) stay fields, so reading a stored message back is the
 * identity.
 *
 * <p>Stateless and thread-safe.
 */
final class MessageCoercion {

  private static final Map<String, String> CONSTRUCTORS = Map.ofEntries(
      Map.entry("HumanMessage", "human"), Map.entry("HumanMessageChunk", "human"),
      Map.entry("AIMessage", "ai"), Map.entry("AIMessageChunk", "ai"),
      Map.entry("SystemMessage", "system"), Map.entry("SystemMessageChunk", "system"),
      Map.entry("ToolMessage", "tool"), Map.entry("ToolMessageChunk", "tool"),
      Map.entry("RemoveMessage", "remove"));

  private MessageCoercion() {
  }

  static Message from(Object value) {
    if (value instanceof Message message) {
      return message;
    }
    if (value instanceof String text) {
      return new HumanMessage(text, null);
    }
    if (value instanceof JsonObject json) {
      return fromMap(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return fromMap(map);
    }
    if (value instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String type) {
      return create(type, pair.get(1), new LinkedHashMap<>(), String.valueOf(value));
    }
    throw new IllegalArgumentException("Cannot read a message from " + describe(value) + "; a message is a map with "
        + "'role' (or 'type') and 'content', a [role, content] pair, or a string. See LangChain's "
        + "MESSAGE_COERCION_FAILURE.");
  }

  private static Message fromMap(Map<?, ?> raw) {
    Map<String, Object> fields = new LinkedHashMap<>();
    raw.forEach((k, v) -> fields.put(String.valueOf(k), v));
    if ("constructor".equals(fields.get("type")) && fields.get("id") instanceof List<?> path && !path.isEmpty()
        && fields.get("kwargs") instanceof Map<?, ?> kwargs) {
      String type = CONSTRUCTORS.get(String.valueOf(path.get(path.size() - 1)));
      if (type == null) {
        throw new IllegalArgumentException("Cannot read a message from the serialized " + path + "; known classes are "
            + CONSTRUCTORS.keySet() + ".");
      }
      Map<String, Object> inner = new LinkedHashMap<>();
      kwargs.forEach((k, v) -> inner.put(String.valueOf(k), v));
      inner.put("type", type);
      inner.putIfAbsent("content", "");
      return fromMap(inner);
    }
    Object type = fields.containsKey("role") ? fields.remove("role") : fields.remove("type");
    if (type == null || !fields.containsKey("content")) {
      throw new IllegalArgumentException("Message dict must contain 'role' and 'content' keys, got " + raw);
    }
    Object content = fields.remove("content");
    return create(String.valueOf(type), content, fields, String.valueOf(raw));
  }

  @SuppressWarnings("unchecked")
  private static Message create(String type, Object content, Map<String, Object> fields, String shown) {
    String name = text(fields.remove("name"), "name", shown);
    String id = text(fields.remove("id"), "id", shown);
    String toolCallId = text(fields.remove("tool_call_id"), "tool_call_id", shown);
    Object toolCalls = fields.remove("tool_calls");
    Map<String, Object> responseMetadata = map(fields.remove("response_metadata"), "response_metadata", shown);
    Map<String, Object> additional = new LinkedHashMap<>(map(fields.remove("additional_kwargs"),
        "additional_kwargs", shown));
    Object usage = fields.remove("usage_metadata");
    Object invalid = fields.remove("invalid_tool_calls");
    Object artifact = fields.remove("artifact");
    Object status = fields.remove("status");
    fields.remove("example");
    additional.putAll(fields);
    switch (type) {
      case "human", "user":
        return new HumanMessage(content, id, name, additional, responseMetadata);
      case "ai", "assistant":
        return new AiMessage(content, toolCalls(toolCalls, shown), id, name,
            usage instanceof Map<?, ?> u ? (Map<String, Object>) u : null,
            invalid instanceof List<?> l ? (List<Map<String, Object>>) l : List.of(), additional, responseMetadata);
      case "system", "developer":
        if (type.equals("developer")) {
          additional.put("__openai_role__", "developer");
        }
        return new SystemMessage(content, id, name, additional, responseMetadata);
      case "tool":
        if (toolCallId == null) {
          throw new IllegalArgumentException("A tool message needs 'tool_call_id' (the id of the call it answers), got "
              + shown);
        }
        return new ToolMessage(content, toolCallId, name, id, status == null ? null : String.valueOf(status),
            artifact, additional, responseMetadata);
      case "remove":
        if (id == null) {
          throw new IllegalArgumentException("A remove message needs the 'id' of the message to remove, got " + shown);
        }
        return new RemoveMessage(id);
      default:
        throw new IllegalArgumentException("Unexpected message type: '" + type + "'. Use one of 'human', 'user', "
            + "'ai', 'assistant', 'tool', 'system', 'developer' or 'remove' ('function' messages are not supported).");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<ToolCall> toolCalls(Object value, String shown) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("'tool_calls' is a list of calls, got " + shown);
    }
    List<ToolCall> calls = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> call)) {
        throw new IllegalArgumentException("A tool call is a map, got " + describe(item) + " in " + shown);
      }
      String id = call.get("id") == null ? null : String.valueOf(call.get("id"));
      if (call.get("function") instanceof Map<?, ?> function) {
        Object args = function.get("arguments");
        Map<String, Object> parsed;
        if (args instanceof String json) {
          try {
            parsed = json.isBlank() ? Map.of() : ((JsonObject) Json.decodeValue(json)).getMap();
          } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("The arguments of tool call '" + id + "' are not a JSON object: " + json);
          }
        } else {
          parsed = map(args, "arguments", shown);
        }
        calls.add(new ToolCall(id, text(function.get("name"), "function.name", shown), parsed));
      } else {
        if (!(call.get("name") instanceof String name)) {
          throw new IllegalArgumentException("A tool call needs a 'name', got " + call + " in " + shown);
        }
        calls.add(new ToolCall(id, name, map(call.get("args"), "args", shown)));
      }
    }
    return calls;
  }

  private static String text(Object value, String field, String shown) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException("The message's '" + field + "' must be a string, got " + describe(value)
        + " in " + shown);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String field, String shown) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof JsonObject json) {
      return json.getMap();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("The message's '" + field + "' must be a map, got " + describe(value) + " in "
        + shown);
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getSimpleName() + " (" + value + ")";
  }
}
