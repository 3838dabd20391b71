package io.graphloop.run;

import io.graphloop.graph.Command;
import io.graphloop.graph.Send;
import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One update of a thread's state within a superstep of {@code bulkUpdateState} (LangGraph's {@code StateUpdate}):
 * {@code values} written as node {@code asNode}'s update, and, for an update made of a {@link Command} (LangGraph's
 * {@code StateUpdate(Command(update=..., goto=...), as_node)}), the Command's goto targets and Sends, planned as if
 * node {@code asNode} had returned that Command. JSON form: {@code {"values"?, "asNode"?, "goto"?: ["node"],
 * "sends"?: [{"node": "x", "input": {...}}]}}.
 *
 * <p>Immutable (values and Send inputs frozen); safe to share between threads.
 *
 * @param values the channel writes, or {@code null} for none
 * @param asNode the node the writes count as; {@code null} to infer it (only when it is the superstep's one update);
 *               {@code "__start__"}, {@code "__end__"}, {@code "__copy__"} and {@code "__input__"} (the values saved as a run's
 *               input: an {@code input} checkpoint with START's task due) only as a superstep's one update, and
 *               without goto targets or Sends
 * @param goTo   the nodes (or {@code "__end__"}) due next because of this update, in the order given; empty for none
 * @param sends  the Sends due next because of this update, in the order given; empty for none
 */
public record ThreadUpdate(Map<String, Object> values, String asNode, List<String> goTo, List<Send> sends) {

  private static final Set<String> FIELDS = Set.of("values", "asNode", "goto", "sends");

  public ThreadUpdate {
    values = values == null ? null : Values.freezeUpdate(values, "the values of a thread update");
    goTo = goTo == null ? List.of() : List.copyOf(goTo);
    List<Send> frozen = new ArrayList<>(sends == null ? 0 : sends.size());
    if (sends != null) {
      for (Send send : sends) {
        if (send == null) {
          throw new IllegalArgumentException("A thread update's Sends must not hold null.");
        }
        frozen.add(send.frozen("a thread update's Send"));
      }
    }
    sends = List.copyOf(frozen);
  }

  /** An update of {@code values} as node {@code asNode}'s, with no goto targets or Sends. */
  public ThreadUpdate(Map<String, Object> values, String asNode) {
    this(values, asNode, List.of(), List.of());
  }

  /** An update of {@code values} as node {@code asNode}'s. */
  public static ThreadUpdate of(Map<String, ?> values, String asNode) {
    return new ThreadUpdate(values == null ? null : Values.freezeUpdate(values, "the values of a thread update"),
        asNode);
  }

  /**
   * {@code command} as node {@code asNode}'s (LangGraph's {@code StateUpdate(Command(...), as_node)}): its update is
   * written and its goto targets and Sends are due next, with the node's own edges.
   *
   * @throws IllegalArgumentException for a Command that resumes (a resume answers a run's interrupts; pass it to a
   *                                  run) or is addressed to a parent graph
   */
  public static ThreadUpdate ofCommand(Command command, String asNode) {
    if (command == null) {
      throw new IllegalArgumentException("A thread update's Command must not be null; use ThreadUpdate.of(null, "
          + "asNode) for an update without values.");
    }
    if (command.resumeValue() != null) {
      throw new IllegalArgumentException("A thread update cannot hold a Command with resume (" + command + "): a "
          + "resume answers a run's interrupts; pass it to GraphClient.run(command, options).");
    }
    if (command.graph() != null) {
      throw new IllegalArgumentException("A thread update cannot hold a Command for the parent graph (" + command
          + "); only a node of a subgraph sends one.");
    }
    return new ThreadUpdate(command.update(), asNode, command.goTo(), command.sends());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (values != null) {
      json.put("values", new JsonObject(values));
    }
    if (asNode != null) {
      json.put("asNode", asNode);
    }
    if (!goTo.isEmpty()) {
      json.put("goto", new JsonArray(new ArrayList<>(goTo)));
    }
    if (!sends.isEmpty()) {
      JsonArray array = new JsonArray();
      sends.forEach(send -> {
        JsonObject sent = new JsonObject().put("node", send.node()).put("input", new JsonObject(send.input()));
        if (send.timeout() != null) {
          sent.put("timeout", send.timeout().toJson());
        }
        array.add(sent);
      });
      json.put("sends", array);
    }
    return json;
  }

  /**
   * Reads an update from JSON.
   *
   * @param where what the update is, for error messages (e.g. "update 2 of superstep 1")
   * @throws IllegalArgumentException saying which field is wrong
   */
  public static ThreadUpdate fromJson(JsonObject json, String where) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(where + " has an unknown field '" + field + "'; it takes values, asNode, "
            + "goto, sends");
      }
    }
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    List<String> goTo = new ArrayList<>();
    JsonArray targets = JsonFields.optionalArray(json, "goto", where);
    if (targets != null) {
      for (Object target : targets) {
        if (!(target instanceof String)) {
          throw new IllegalArgumentException("Field 'goto' of " + where + " must hold node names (strings), but holds "
              + target + ".");
        }
        goTo.add((String) target);
      }
    }
    List<Send> sends = new ArrayList<>();
    JsonArray sendArray = JsonFields.optionalArray(json, "sends", where);
    if (sendArray != null) {
      for (Object item : sendArray) {
        if (!(item instanceof JsonObject)) {
          throw new IllegalArgumentException("Field 'sends' of " + where + " must hold objects {\"node\": ..., "
              + "\"input\": {...}}, but holds " + item + ".");
        }
        String at = "a Send of " + where;
        String node = JsonFields.requiredString((JsonObject) item, "node", at);
        JsonObject input = JsonFields.optionalObject((JsonObject) item, "input", at);
        sends.add(new Send(node, input == null ? Map.of() : input.getMap(),
            Send.timeoutOf(((JsonObject) item).getMap(), at)));
      }
    }
    return new ThreadUpdate(values == null ? null : values.getMap(), JsonFields.optionalString(json, "asNode", where),
        goTo, sends);
  }
}
