package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event bus's interrupts ({@code {"id", "node", "taskId", "value"}} for a node's {@code interrupt(value)},
 * {@code {"node", "when"}} for a breakpoint) in LangGraph Server's shapes: {@code {"id", "value"}} in
 * {@code __interrupt__} and in thread states, grouped by task id on a Thread.
 *
 * <p>Stateless.
 */
final class Interrupts {

  private Interrupts() {
  }

  /** The entries of {@code interrupts} (JSON objects or maps), normalized to {@code {"id", "value", "task_id", "node"}}. */
  @SuppressWarnings("unchecked")
  static List<JsonObject> of(Iterable<?> interrupts) {
    List<JsonObject> list = new ArrayList<>();
    if (interrupts == null) {
      return list;
    }
    for (Object item : interrupts) {
      JsonObject bus = item instanceof JsonObject ? (JsonObject) item : new JsonObject((Map<String, Object>) item);
      JsonObject entry = new JsonObject().put("id", bus.getValue("id")).put("value", bus.getValue("value"))
          .put("task_id", bus.getValue("taskId", bus.getValue("id"))).put("node", bus.getValue("node"));
      if (bus.containsKey("when")) {
        entry.put("when", bus.getValue("when"));
      }
      list.add(entry);
    }
    return list;
  }

  /** LangGraph's {@code [{"value", "id"}, ...]}: the interrupts a node raised (breakpoints have none). */
  static JsonArray langGraph(List<JsonObject> interrupts) {
    JsonArray array = new JsonArray();
    for (JsonObject interrupt : interrupts) {
      if (interrupt.getValue("id") != null) {
        array.add(new JsonObject().put("value", interrupt.getValue("value")).put("id", interrupt.getValue("id")));
      }
    }
    return array;
  }
}
