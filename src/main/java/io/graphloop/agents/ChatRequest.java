package io.graphloop.agents;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What one chat call offers besides the messages: the tools the model may call, an optional structured-output JSON
 * schema (OpenAI's {@code response_format} of type {@code json_schema}), and extra request fields (e.g.
 * {@code temperature}) copied into the request body as they are.
 *
 * @param tools          tools the model may call; empty for none
 * @param responseSchema {@code {"name": ..., "schema": {...}}} for structured output, or null
 * @param extra          extra body fields, or null
 */
public record ChatRequest(List<Tool> tools, JsonObject responseSchema, JsonObject extra) {

  /** No tools, no schema. */
  public static final ChatRequest NONE = new ChatRequest(List.of(), null, null);

  public ChatRequest {
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** A request offering {@code tools}. */
  public static ChatRequest withTools(List<Tool> tools) {
    return new ChatRequest(tools, null, null);
  }
}
