package io.graphloop.agents;

import io.graphloop.state.Values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BinaryOperator;

/**
 * LangGraph's {@code add_messages} reducer: merges the messages written to a {@code messages} channel into the ones it
 * holds. Both sides may be one message or a list (a list is always a list of messages, as in LangGraph), in any form {@link Message#from(Object)} reads. Messages without an
 * id get a random UUID; a message whose id is already held replaces it in place; {@link RemoveMessage} deletes the
 * message with its id (an unknown id is an error); {@link Message#removeAll()} drops everything before it and keeps
 * only the messages after it. The result is a list of messages in LangChain's JSON format.
 *
 * <p>Stateless and thread-safe (ids come from {@link UUID#randomUUID()}).
 */
public final class AddMessages implements BinaryOperator<Object> {

  /** The shared instance. */
  public static final AddMessages INSTANCE = new AddMessages();

  private AddMessages() {
  }

  @Override
  public Object apply(Object left, Object right) {
    return Values.frozenList(merge(left, right).stream().map(Message::toMap).toList(), "the messages channel");
  }

  /** {@code add_messages(left, right)} as messages. */
  public static List<Message> merge(Object left, Object right) {
    List<Message> held = read(left);
    List<Message> added = read(right);
    for (int i = 0; i < held.size(); i++) {
      if (held.get(i).id() == null) {
        held.set(i, held.get(i).withId(newId()));
      }
    }
    int removeAll = -1;
    for (int i = 0; i < added.size(); i++) {
      Message m = added.get(i);
      if (m.id() == null) {
        added.set(i, m.withId(newId()));
      } else if (m instanceof RemoveMessage && RemoveMessage.ALL.equals(m.id())) {
        removeAll = i;
      }
    }
    if (removeAll >= 0) {
      return new ArrayList<>(added.subList(removeAll + 1, added.size()));
    }
    List<Message> merged = new ArrayList<>(held);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < merged.size(); i++) {
      index.put(merged.get(i).id(), i);
    }
    Set<String> removed = new HashSet<>();
    for (Message m : added) {
      Integer at = index.get(m.id());
      if (at != null) {
        if (m instanceof RemoveMessage) {
          removed.add(m.id());
        } else {
          removed.remove(m.id());
          merged.set(at, m);
        }
      } else if (m instanceof RemoveMessage) {
        throw new IllegalArgumentException("Attempting to delete a message with an ID that doesn't exist ('"
            + m.id() + "')");
      } else {
        index.put(m.id(), merged.size());
        merged.add(m);
      }
    }
    if (!removed.isEmpty()) {
      merged.removeIf(m -> removed.contains(m.id()));
    }
    return merged;
  }

  /** The messages {@code value} holds: one message or a list of them, in any form {@link Message#from} reads. */
  public static List<Message> read(Object value) {
    List<Message> messages = new ArrayList<>();
    if (value == null) {
      return messages;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        messages.add(Message.from(item));
      }
    } else {
      messages.add(Message.from(value));
    }
    return messages;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
