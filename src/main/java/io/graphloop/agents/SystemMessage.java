package io.graphloop.agents;

import java.util.Map;

/**
 * A system message (instructions to the model).
 *
 * @param content           a string or a list of content blocks
 * @param id                the id, or null until a messages channel assigns one
 * @param name              an optional name
 * @param additionalKwargs  provider-specific fields (LangChain's {@code additional_kwargs}); may be empty
 * @param responseMetadata  LangChain's {@code response_metadata}; may be empty
 */
public record SystemMessage(Object content, String id, String name, Map<String, Object> additionalKwargs,
    Map<String, Object> responseMetadata) implements Message {

  public SystemMessage {
    content = Contents.check(content, "a system message");
    additionalKwargs = additionalKwargs == null ? Map.of() : additionalKwargs;
    responseMetadata = responseMetadata == null ? Map.of() : responseMetadata;
  }

  public SystemMessage(Object content, String id) {
    this(content, id, null, Map.of(), Map.of());
  }

  @Override
  public String type() {
    return "system";
  }

  @Override
  public SystemMessage withId(String newId) {
    return new SystemMessage(content, newId, name, additionalKwargs, responseMetadata);
  }

  @Override
  public Map<String, Object> toMap() {
    return Contents.base(content, new java.util.LinkedHashMap<>(additionalKwargs),
        new java.util.LinkedHashMap<>(responseMetadata), type(), name, id);
  }
}
