package io.graphloop.engine;

import io.graphloop.state.StateJson;
import io.graphloop.state.Values;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what a node returned into a frozen partial update: {@code null} is no update, a {@code Map}
 * maps channels to values, and a record or bean contributes its non-null properties (so a typed
 * partial update leaves unset fields alone).
 *
 * <p>Stateless.
 */
public final class NodeOutputs {

  private NodeOutputs() {
  }

  /**
   * @throws IllegalArgumentException when the output cannot be an update, saying what was returned and what
   *                                  a node may return
   */
  public static Map<String, Object> toUpdate(Object output, String node) {
    String where = "the update of node '" + node + "'";
    if (output == null) {
      return Map.of();
    }
    if (output instanceof Map) {
      return Values.freezeUpdate((Map<?, ?>) output, where);
    }
    if (output instanceof io.vertx.core.json.JsonObject) {
      return Values.freezeUpdate(((io.vertx.core.json.JsonObject) output).getMap(), where);
    }
    if (output instanceof CharSequence || output instanceof Number || output instanceof Boolean
        || output instanceof Iterable || output.getClass().isArray()) {
      throw new IllegalArgumentException("Node '" + node + "' returned " + output.getClass().getName()
          + " " + abbreviate(output) + "; a node returns a Map of channel updates, null for no update, "
          + "or a record/bean whose non-null properties are the updates.");
    }
    Map<?, ?> properties;
    try {
      properties = StateJson.mapper().convertValue(output, Map.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Node '" + node + "' returned a " + output.getClass().getName()
          + " that Jackson cannot read as an update (" + e.getMessage() + "); return a Map of channel updates.", e);
    }
    Map<Object, Object> nonNull = new LinkedHashMap<>();
    properties.forEach((k, v) -> {
      if (v != null) {
        nonNull.put(k, v);
      }
    });
    return Values.freezeUpdate(nonNull, where);
  }

  private static String abbreviate(Object output) {
    String text = String.valueOf(output);
    return text.length() > 60 ? "'" + text.substring(0, 57) + "...'" : "'" + text + "'";
  }
}
