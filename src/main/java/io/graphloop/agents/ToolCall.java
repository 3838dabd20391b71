package io.graphloop.agents;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call requested by an AI message (LangChain's {@code ToolCall}): the tool's name, its arguments as a JSON
 * object, and the call's id, which the {@link ToolMessage} answering it repeats.
 *
 * <p>Immutable; thread-safe.
 */
public record ToolCall(String id, String name, Map<String, Object> args) {

  public ToolCall {
    Objects.requireNonNull(name, "a tool call's name");
    args = args == null ? Map.of() : args;
  }

  /** LangChain's format: {@code {"name", "args", "id", "type": "tool_call"}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("args", args);
    map.put("id", id);
    map.put("type", "tool_call");
    return map;
  }
}
