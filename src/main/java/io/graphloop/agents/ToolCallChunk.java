package io.graphloop.agents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fragment of a tool call streamed by a model (LangChain's {@code ToolCallChunk}): fragments with the same
 * {@code index} are one call; the first usually carries its id and name, the following ones pieces of its JSON
 * arguments.
 *
 * @param index the call's position in the message
 * @param id    the call's id, or null in later fragments
 * @param name  the tool's name, or null in later fragments
 * @param args  a piece of the arguments' JSON text, possibly empty
 */
public record ToolCallChunk(int index, String id, String name, String args) {

  /** LangChain's format: {@code {"name", "args", "id", "index", "type": "tool_call_chunk"}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("args", args);
    map.put("id", id);
    map.put("index", index);
    map.put("type", "tool_call_chunk");
    return map;
  }
}
