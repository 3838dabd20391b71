package io.graphloop.agents;

import java.util.Map;
import java.util.Objects;

/**
 * Written to a {@code messages} channel, deletes the message with this id (LangChain's {@code RemoveMessage}); the id
 * {@value #ALL} deletes every message before it (LangGraph's {@code REMOVE_ALL_MESSAGES}). Deleting an id the channel
 * does not hold is an error, as in LangGraph.
 *
 * @param id the id of the message to delete
 */
public record RemoveMessage(String id) implements Message {

  /** LangGraph's {@code REMOVE_ALL_MESSAGES}. */
  public static final String ALL = "__remove_all__";

  public RemoveMessage {
    Objects.requireNonNull(id, "the id of the message to remove");
  }

  @Override
  public String type() {
    return "remove";
  }

  @Override
  public Object content() {
    return "";
  }

  @Override
  public RemoveMessage withId(String newId) {
    return new RemoveMessage(newId);
  }

  @Override
  public Map<String, Object> toMap() {
    return Contents.base("", null, null, type(), null, id);
  }
}
