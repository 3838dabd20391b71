package io.graphloop.agents;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the chunks of one streamed answer into the {@link AiMessage} they make: the content concatenated, tool call
 * fragments joined by index (the arguments' JSON parsed at the end; text that is not a JSON object becomes an
 * invalid tool call, as LangChain's), the last finish reason and usage kept. Bounded: more than {@code maxChars} of
 * content and arguments, or more than {@code maxToolCalls} calls, is refused.
 *
 * <p>Not thread-safe: one assembler per answer, used on the answer's event loop.
 */
final class ChunkAssembler {

  private final int maxChars;
  private final int maxToolCalls;
  private final StringBuilder content = new StringBuilder();
  private final TreeMap<Integer, String[]> calls = new TreeMap<>();
  private String id;
  private String finishReason;
  private String model;
  private Map<String, Object> usage;
  private long chars;

  ChunkAssembler(int maxChars, int maxToolCalls) {
    this.maxChars = maxChars;
    this.maxToolCalls = maxToolCalls;
  }

  void add(AiMessageChunk chunk) {
    if (id == null) {
      id = chunk.id();
    }
    chars += chunk.content().length();
    content.append(chunk.content());
    for (ToolCallChunk part : chunk.toolCallChunks()) {
      String[] call = calls.get(part.index());
      if (call == null) {
        if (calls.size() >= maxToolCalls) {
          throw new IllegalStateException("The model's answer has more than " + maxToolCalls + " tool calls "
              + "(OpenAiOptions.maxToolCalls).");
        }
        call = new String[] {null, null, ""};
        calls.put(part.index(), call);
      }
      if (part.id() != null) {
        call[0] = part.id();
      }
      if (part.name() != null) {
        call[1] = call[1] == null ? part.name() : call[1] + part.name();
      }
      if (part.args() != null) {
        chars += part.args().length();
        call[2] += part.args();
      }
    }
    if (chars > maxChars) {
      throw new IllegalStateException("The model's answer is longer than " + maxChars + " characters "
          + "(OpenAiOptions.maxResponseChars).");
    }
    if (chunk.finishReason() != null) {
      finishReason = chunk.finishReason();
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.model() != null) {
      model = chunk.model();
    }
  }

  AiMessage message() {
    List<ToolCall> toolCalls = new ArrayList<>();
    List<Map<String, Object>> invalid = new ArrayList<>();
    for (String[] call : calls.values()) {
      Map<String, Object> args = parseArgs(call[2]);
      if (args != null && call[1] != null) {
        toolCalls.add(new ToolCall(call[0], call[1], args));
      } else {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("name", call[1]);
        bad.put("args", call[2]);
        bad.put("id", call[0]);
        bad.put("error", call[1] == null ? "The tool call has no name." : "The arguments are not a JSON object.");
        bad.put("type", "invalid_tool_call");
        invalid.add(bad);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (finishReason != null) {
      metadata.put("finish_reason", finishReason);
    }
    if (model != null) {
      metadata.put("model_name", model);
    }
    return new AiMessage(content.toString(), toolCalls, id, null, usage, invalid, Map.of(), metadata);
  }

  static Map<String, Object> parseArgs(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Object value = Json.decodeValue(json);
      return value instanceof JsonObject object ? object.getMap() : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
