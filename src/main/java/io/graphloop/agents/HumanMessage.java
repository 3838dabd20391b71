package io.graphloop.agents;

import java.util.Map;

/**
 * A message from a person (LangChain's {@code HumanMessage}; role {@code user} in OpenAI's format).
 *
 * @param content           a string or a list of content blocks
 * @param id                the id, or null until a messages channel assigns one
 * @param name              an optional name
 * @param additionalKwargs  provider-specific fields (LangChain's {@code additional_kwargs}); may be empty
 * @param responseMetadata  LangChain's {@code response_metadata}; may be empty
 */
public record HumanMessage(Object content, String id, String name, Map<String, Object> additionalKwargs,
    Map<String, Object> responseMetadata) implements Message {

  public HumanMessage {
    content = Contents.check(content, "a human message");
    additionalKwargs = additionalKwargs == null ? Map.of() : additionalKwargs;
    responseMetadata = responseMetadata == null ? Map.of() : responseMetadata;
  }

  public HumanMessage(Object content, String id) {
    this(content, id, null, Map.of(), Map.of());
  }

  @Override
  public String type() {
    return "human";
  }

  @Override
  public HumanMessage withId(String newId) {
    return new HumanMessage(content, newId, name, additionalKwargs, responseMetadata);
  }

  @Override
  public Map<String, Object> toMap() {
    return Contents.base(content, new java.util.LinkedHashMap<>(additionalKwargs),
        new java.util.LinkedHashMap<>(responseMetadata), type(), name, id);
  }
}
