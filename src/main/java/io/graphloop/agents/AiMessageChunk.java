package io.graphloop.agents;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a streamed AI message (LangChain's {@code AIMessageChunk}): some content text, fragments of tool calls,
 * and in the last chunks the finish reason and the token usage. All chunks of one answer share the answer's id.
 *
 * @param id             the answer's id
 * @param content        the text of this piece, possibly empty
 * @param toolCallChunks fragments of tool calls, possibly empty
 * @param finishReason   OpenAI's {@code finish_reason} in the chunk that ends the answer, else null
 * @param usage          LangChain's {@code usage_metadata} in the chunk that reports it, else null
 * @param model          the model's name as the server reported it, or null
 */
public record AiMessageChunk(String id, String content, List<ToolCallChunk> toolCallChunks, String finishReason,
    Map<String, Object> usage, String model) {

  public AiMessageChunk {
    content = content == null ? "" : content;
    toolCallChunks = toolCallChunks == null ? List.of() : List.copyOf(toolCallChunks);
  }

  /** The chunk in LangChain's JSON format (what LangGraph's {@code messages} stream mode sends). */
  @JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (finishReason != null) {
      metadata.put("finish_reason", finishReason);
    }
    if (model != null) {
      metadata.put("model_name", model);
    }
    Map<String, Object> map = Contents.base(content, new LinkedHashMap<>(), metadata, "AIMessageChunk", null, id);
    map.put("tool_calls", new ArrayList<>());
    map.put("invalid_tool_calls", new ArrayList<>());
    map.put("usage_metadata", usage);
    List<Object> chunks = new ArrayList<>(toolCallChunks.size());
    toolCallChunks.forEach(chunk -> chunks.add(chunk.toMap()));
    map.put("tool_call_chunks", chunks);
    return map;
  }
}
