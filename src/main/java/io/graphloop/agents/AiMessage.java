package io.graphloop.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message from the model (LangChain's {@code AIMessage}; role {@code assistant} in OpenAI's format), possibly
 * calling tools.
 *
 * @param content           a string or a list of content blocks
 * @param toolCalls         the tools the model calls, in order; empty when it answers
 * @param id                the id, or null until a messages channel assigns one
 * @param name              an optional name
 * @param usage             LangChain's {@code usage_metadata} ({@code input_tokens}, {@code output_tokens},
 *                          {@code total_tokens}), or null
 * @param invalidToolCalls  calls whose arguments were not valid JSON (LangChain's {@code invalid_tool_calls}: maps
 *                          with {@code name}, {@code args} as text, {@code id}, {@code error})
 * @param additionalKwargs  provider-specific fields; may be empty
 * @param responseMetadata  e.g. {@code finish_reason} and {@code model_name}; may be empty
 */
public record AiMessage(Object content, List<ToolCall> toolCalls, String id, String name, Map<String, Object> usage,
    List<Map<String, Object>> invalidToolCalls, Map<String, Object> additionalKwargs,
    Map<String, Object> responseMetadata) implements Message {

  public AiMessage {
    content = Contents.check(content, "an ai message");
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    invalidToolCalls = invalidToolCalls == null ? List.of() : invalidToolCalls;
    additionalKwargs = additionalKwargs == null ? Map.of() : additionalKwargs;
    responseMetadata = responseMetadata == null ? Map.of() : responseMetadata;
  }

  public AiMessage(Object content, List<ToolCall> toolCalls, String id) {
    this(content, toolCalls, id, null, null, List.of(), Map.of(), Map.of());
  }

  @Override
  public String type() {
    return "ai";
  }

  /** Whether the model asked for tools. */
  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  @Override
  public AiMessage withId(String newId) {
    return new AiMessage(content, toolCalls, newId, name, usage, invalidToolCalls, additionalKwargs,
        responseMetadata);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> map = Contents.base(content, new LinkedHashMap<>(additionalKwargs),
        new LinkedHashMap<>(responseMetadata), type(), name, id);
    List<Object> calls = new ArrayList<>(toolCalls.size());
    toolCalls.forEach(call -> calls.add(call.toMap()));
    map.put("tool_calls", calls);
    map.put("invalid_tool_calls", new ArrayList<>(invalidToolCalls));
    map.put("usage_metadata", usage);
    return map;
  }
}
