package io.graphloop.agents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's chat completions wire format: the request body from messages and a {@link ChatRequest}, and messages and
 * chunks from response bodies and stream events. Usage is mapped to LangChain's {@code usage_metadata}
 * ({@code prompt_tokens} to {@code input_tokens}, {@code completion_tokens} to {@code output_tokens}).
 *
 * <p>Stateless and thread-safe.
 */
final class OpenAiWire {

  private OpenAiWire() {
  }

  static JsonObject request(String model, List<Message> messages, ChatRequest request, boolean stream) {
    JsonArray wire = new JsonArray();
    for (Message message : messages) {
      wire.add(message(message));
    }
    JsonObject body = new JsonObject().put("model", model).put("messages", wire);
    if (!request.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      request.tools().forEach(tool -> tools.add(tool.toOpenAi()));
      body.put("tools", tools);
    }
    if (request.responseSchema() != null) {
      body.put("response_format", new JsonObject().put("type", "json_schema")
          .put("json_schema", request.responseSchema()));
    }
    if (request.extra() != null) {
      request.extra().forEach(e -> body.put(e.getKey(), e.getValue()));
    }
    if (stream) {
      body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  static JsonObject message(Message message) {
    if (message instanceof SystemMessage system) {
      String role = "developer".equals(system.additionalKwargs().get("__openai_role__")) ? "developer" : "system";
      return named(new JsonObject().put("role", role).put("content", content(system.content())), system.name());
    }
    if (message instanceof HumanMessage human) {
      return named(new JsonObject().put("role", "user").put("content", content(human.content())), human.name());
    }
    if (message instanceof AiMessage ai) {
      JsonObject wire = new JsonObject().put("role", "assistant");
      String text = ai.text();
      wire.put("content", text.isEmpty() && ai.hasToolCalls() ? null : text);
      if (ai.hasToolCalls()) {
        JsonArray calls = new JsonArray();
        for (ToolCall call : ai.toolCalls()) {
          calls.add(new JsonObject().put("id", call.id()).put("type", "function").put("function",
              new JsonObject().put("name", call.name()).put("arguments", new JsonObject(call.args()).encode())));
        }
        wire.put("tool_calls", calls);
      }
      return named(wire, ai.name());
    }
    if (message instanceof ToolMessage tool) {
      return new JsonObject().put("role", "tool").put("tool_call_id", tool.toolCallId())
          .put("content", content(tool.content()));
    }
    throw new IllegalArgumentException("A " + message.type() + " message cannot be sent to a model.");
  }

  private static JsonObject named(JsonObject wire, String name) {
    return name == null ? wire : wire.put("name", name);
  }

  private static Object content(Object content) {
    return content instanceof List<?> blocks ? new JsonArray(new ArrayList<>(blocks)) : content;
  }

  /** The message of a non-streamed response ({@code choices[0].message}). */
  static AiMessage response(JsonObject body, int maxToolCalls) {
    JsonArray choices = body.getJsonArray("choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)
        || choice.getJsonObject("message") == null) {
      throw new IllegalArgumentException("The response has no choices[0].message");
    }
    JsonObject message = choice.getJsonObject("message");
    ChunkAssembler assembler = new ChunkAssembler(Integer.MAX_VALUE, maxToolCalls);
    List<ToolCallChunk> calls = new ArrayList<>();
    JsonArray toolCalls = message.getJsonArray("tool_calls");
    if (toolCalls != null) {
      for (int i = 0; i < toolCalls.size(); i++) {
        JsonObject call = toolCalls.getJsonObject(i);
        JsonObject function = call.getJsonObject("function", new JsonObject());
        Object args = function.getValue("arguments");
        calls.add(new ToolCallChunk(i, call.getString("id"), function.getString("name"),
            args instanceof JsonObject object ? object.encode() : (String) args));
      }
    }
    assembler.add(new AiMessageChunk(id(body), message.getString("content"), calls, choice.getString("finish_reason"),
        usage(body.getJsonObject("usage")), body.getString("model")));
    return assembler.message();
  }

  /** The chunk of one stream event's JSON ({@code choices[0].delta}, and usage in the last event). */
  static AiMessageChunk chunk(JsonObject event, String fallbackId) {
    String content = null;
    String finish = null;
    List<ToolCallChunk> calls = new ArrayList<>();
    JsonArray choices = event.getJsonArray("choices");
    if (choices != null && !choices.isEmpty() && choices.getValue(0) instanceof JsonObject choice) {
      finish = choice.getString("finish_reason");
      JsonObject delta = choice.getJsonObject("delta");
      if (delta != null) {
        content = delta.getString("content");
        JsonArray toolCalls = delta.getJsonArray("tool_calls");
        if (toolCalls != null) {
          for (int i = 0; i < toolCalls.size(); i++) {
            JsonObject call = toolCalls.getJsonObject(i);
            JsonObject function = call.getJsonObject("function", new JsonObject());
            calls.add(new ToolCallChunk(call.getInteger("index", i), call.getString("id"), function.getString("name"),
                function.getString("arguments")));
          }
        }
      }
    }
    String id = event.getString("id");
    return new AiMessageChunk(id == null ? fallbackId : id, content, calls, finish,
        usage(event.getJsonObject("usage")), event.getString("model"));
  }

  private static String id(JsonObject body) {
    String id = body.getString("id");
    return id == null ? "run-" + java.util.UUID.randomUUID() : id;
  }

  static Map<String, Object> usage(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    int input = usage.getInteger("prompt_tokens", 0);
    int output = usage.getInteger("completion_tokens", 0);
    map.put("input_tokens", input);
    map.put("output_tokens", output);
    map.put("total_tokens", usage.getInteger("total_tokens", input + output));
    return map;
  }
}
