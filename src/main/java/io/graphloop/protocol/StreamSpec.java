package io.graphloop.protocol;

import io.graphloop.run.StreamMode;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a run's events are streamed: to which event-bus address, in which modes, and how many events the
 * coordinator may send before the consumer grants more (the initial credit window). JSON form:
 * {@code {"to": "address", "modes": ["values", "updates"], "window": 256}}.
 *
 * <p>Flow control: the consumer sends {@code {"runId": id, "credits": n}} to the coordinator's control
 * address (given in the acknowledgement of the run request) each time it has consumed {@code n} more events.
 *
 * <p>Immutable.
 *
 * @param to     the consumer's address
 * @param modes  the stream modes
 * @param window the initial credits, at least 1
 */
public record StreamSpec(String to, Set<StreamMode> modes, int window) {

  public static final int DEFAULT_WINDOW = 256;
  public static final int MAX_WINDOW = 65_536;

  public StreamSpec {
    if (to == null || to.isBlank()) {
      throw new IllegalArgumentException("Field 'to' of the stream spec must be the consumer's event-bus address.");
    }
    if (modes == null || modes.isEmpty()) {
      throw new IllegalArgumentException("Field 'modes' of the stream spec must name at least one of "
          + StreamMode.names() + ".");
    }
    if (window < 1 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("Field 'window' of the stream spec must be between 1 and " + MAX_WINDOW
          + ", was " + window + ".");
    }
    modes = Set.copyOf(modes);
  }

  public JsonObject toJson() {
    List<String> names = new ArrayList<>();
    for (StreamMode mode : StreamMode.values()) {
      if (modes.contains(mode)) {
        names.add(mode.wireName());
      }
    }
    return new JsonObject().put("to", to).put("modes", new JsonArray(names)).put("window", window);
  }

  /**
   * @throws IllegalArgumentException naming the field that is wrong and what it must be
   */
  public static StreamSpec fromJson(JsonObject json) {
    String where = "the stream spec";
    for (String field : json.fieldNames()) {
      if (!field.equals("to") && !field.equals("modes") && !field.equals("window")) {
        throw new IllegalArgumentException("Field '" + field + "' of " + where + " is unknown; a stream spec takes "
            + "'to', 'modes' and 'window'.");
      }
    }
    Object modes = json.getValue("modes");
    List<String> names = new ArrayList<>();
    if (modes instanceof String) {
      names.add((String) modes);
    } else if (modes instanceof JsonArray) {
      for (Object mode : (JsonArray) modes) {
        if (!(mode instanceof String)) {
          throw new IllegalArgumentException("Field 'modes' of " + where + " must list mode names " + StreamMode.names()
              + ", but holds " + mode + ".");
        }
        names.add((String) mode);
      }
    } else if (modes != null) {
      throw new IllegalArgumentException("Field 'modes' of " + where + " must be a mode name or a list of them "
          + StreamMode.names() + ".");
    }
    return new StreamSpec(JsonFields.requiredString(json, "to", where), StreamMode.setOf(names),
        JsonFields.optionalInt(json, "window", DEFAULT_WINDOW, where));
  }
}
