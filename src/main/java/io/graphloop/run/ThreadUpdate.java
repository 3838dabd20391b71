package io.graphloop.run;

import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * One update of a thread's state within a superstep of {@code bulkUpdateState} (LangGraph's {@code StateUpdate}):
 * {@code values} written as node {@code asNode}'s update. JSON form: {@code {"values"?, "asNode"?}}.
 *
 * <p>Immutable (values frozen).
 *
 * @param values the channel writes, or {@code null} for none
 * @param asNode the node the writes count as; {@code null} to infer it (only when it is the superstep's one update);
 *               {@code "__start__"}, {@code "__end__"}, {@code "__copy__"} and {@code "__input__"} (the values saved as a run's
 *               input: an {@code input} checkpoint with START's task due) only as a superstep's one update
 */
public record ThreadUpdate(Map<String, Object> values, String asNode) {

  private static final Set<String> FIELDS = Set.of("values", "asNode");

  public ThreadUpdate {
    values = values == null ? null : Values.freezeUpdate(values, "the values of a thread update");
  }

  /** An update of {@code values} as node {@code asNode}'s. */
  public static ThreadUpdate of(Map<String, ?> values, String asNode) {
    return new ThreadUpdate(values == null ? null : Values.freezeUpdate(values, "the values of a thread update"),
        asNode);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (values != null) {
      json.put("values", new JsonObject(values));
    }
    if (asNode != null) {
      json.put("asNode", asNode);
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
        throw new IllegalArgumentException(where + " has an unknown field '" + field + "'; it takes values, asNode");
      }
    }
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    return new ThreadUpdate(values == null ? null : values.getMap(), JsonFields.optionalString(json, "asNode", where));
  }
}
