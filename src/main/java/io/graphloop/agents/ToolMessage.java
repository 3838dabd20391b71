package io.graphloop.agents;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tool's answer to one tool call (LangChain's {@code ToolMessage}).
 *
 * @param content           the result: a string or a list of content blocks
 * @param toolCallId        the id of the call this answers
 * @param name              the tool's name, or null
 * @param id                the id, or null until a messages channel assigns one
 * @param status            {@value #SUCCESS} or {@value #ERROR} (the tool failed; the content says why)
 * @param artifact          an optional value kept with the message but not sent to the model, or null
 * @param additionalKwargs  provider-specific fields; may be empty
 * @param responseMetadata  LangChain's {@code response_metadata}; may be empty
 */
public record ToolMessage(Object content, String toolCallId, String name, String id, String status, Object artifact,
    Map<String, Object> additionalKwargs, Map<String, Object> responseMetadata) implements Message {

  public static final String SUCCESS = "success";
  public static final String ERROR = "error";

  public ToolMessage {
    content = Contents.check(content, "a tool message");
    Objects.requireNonNull(toolCallId, "a tool message's tool_call_id");
    status = status == null ? SUCCESS : status;
    if (!SUCCESS.equals(status) && !ERROR.equals(status)) {
      throw new IllegalArgumentException("A tool message's status is '" + status + "'; it is 'success' or 'error'.");
    }
    additionalKwargs = additionalKwargs == null ? Map.of() : additionalKwargs;
    responseMetadata = responseMetadata == null ? Map.of() : responseMetadata;
  }

  public ToolMessage(Object content, String toolCallId, String name, String id, String status) {
    this(content, toolCallId, name, id, status, null, Map.of(), Map.of());
  }

  @Override
  public String type() {
    return "tool";
  }

  @Override
  public ToolMessage withId(String newId) {
    return new ToolMessage(content, toolCallId, name, newId, status, artifact, additionalKwargs, responseMetadata);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> map = Contents.base(content, new LinkedHashMap<>(additionalKwargs),
        new LinkedHashMap<>(responseMetadata), type(), name, id);
    map.put("tool_call_id", toolCallId);
    map.put("artifact", artifact);
    map.put("status", status);
    return map;
  }
}
