package io.graphloop.agents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The SSE events of a streamed {@link FakeReply}, as OpenAI sends them: a first chunk with the role, one chunk per
 * content token, each tool call as a chunk with its id and name then its arguments in two fragments, a chunk with the
 * finish reason, a usage chunk when asked for, a heartbeat comment, and {@code data: [DONE]}. Stateless.
 */
final class StreamedReply {

  private StreamedReply() {
  }

  static List<String> events(FakeReply reply, String id, String model, boolean usage) {
    List<String> events = new ArrayList<>();
    events.add(data(chunk(id, model, new JsonObject().put("role", "assistant").put("content", ""), null)));
    events.add(": heartbeat\n\n");
    List<String> tokens = FakeResponder.tokens(reply.content());
    for (String token : tokens) {
      events.add(data(chunk(id, model, new JsonObject().put("content", token), null)));
    }
    int index = 0;
    for (ToolCall call : reply.toolCalls()) {
      events.add(data(chunk(id, model, toolDelta(index, new JsonObject().put("id", call.id()).put("type", "function")
          .put("function", new JsonObject().put("name", call.name()).put("arguments", ""))), null)));
      String args = new JsonObject(call.args()).encode();
      int half = args.length() / 2;
      for (String piece : List.of(args.substring(0, half), args.substring(half))) {
        events.add(data(chunk(id, model, toolDelta(index, new JsonObject()
            .put("function", new JsonObject().put("arguments", piece))), null)));
      }
      index++;
    }
    events.add(data(chunk(id, model, new JsonObject(), reply.toolCalls().isEmpty() ? "stop" : "tool_calls")));
    if (usage) {
      int completion = tokens.size() + reply.toolCalls().size();
      events.add(data(new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", 0)
          .put("model", model).put("choices", new JsonArray()).put("usage", new JsonObject().put("prompt_tokens", 10)
              .put("completion_tokens", completion).put("total_tokens", 10 + completion)).encode()));
    }
    events.add("data: [DONE]\n\n");
    return events;
  }

  private static JsonObject toolDelta(int index, JsonObject call) {
    return new JsonObject().put("tool_calls", new JsonArray().add(call.put("index", index)));
  }

  private static String chunk(String id, String model, JsonObject delta, String finish) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", 0).put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
            .put("finish_reason", finish))).encode();
  }

  private static String data(Object json) {
    return "data: " + json + "\n\n";
  }
}
