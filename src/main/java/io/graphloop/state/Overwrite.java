package io.graphloop.state;

import io.graphloop.errors.InvalidUpdateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write that bypasses a channel's reducer for one superstep (LangGraph's {@code Overwrite}): a node returns
 * {@code Map.of("messages", new Overwrite(List.of("b")))} and the append channel {@code messages} becomes
 * {@code ["b"]} instead of getting {@code "b"} appended.
 *
 * <p>As in LangGraph 1.2.12 ({@code channels/binop.py}): within one step, the writes before the Overwrite are
 * folded and then replaced by its value, the plain writes after it are dropped, and a second Overwrite of the same
 * channel in the same step fails the run with {@link InvalidUpdateException} ("Can receive only one Overwrite value
 * per super-step"). A last-value channel stores the wrapped value (LangGraph stores the {@code Overwrite} object
 * itself there; see {@code src/docs/LANGGRAPH-DIFFERENCES.md}).
 *
 * <p>On the wire and in the state it is LangGraph's JSON form of the dataclass, {@code {"value": v, "type":
 * "__overwrite__"}} (what {@link Values#freeze} makes of it), so it keeps its meaning when a node's reply crosses
 * JVMs; LangGraph's other form {@code {"__overwrite__": v}} is recognised too.
 *
 * <p>Immutable.
 *
 * @param value the channel's new value (JSON-compatible; may be null)
 */
public record Overwrite(Object value) {

  /** The key of the discriminator, and its value, in LangGraph's JSON form. */
  public static final String TYPE = "__overwrite__";

  /** This Overwrite in its frozen JSON form, {@code {"value": v, "type": "__overwrite__"}}. */
  Map<String, Object> toJson(Object frozenValue) {
    LinkedHashMap<String, Object> json = new LinkedHashMap<>(4);
    json.put("value", frozenValue);
    json.put("type", TYPE);
    return new FrozenMap(json);
  }

  /** Whether {@code write} is an Overwrite, in any of its three forms (record, LangGraph's two JSON forms). */
  public static boolean isOverwrite(Object write) {
    if (write instanceof Overwrite) {
      return true;
    }
    if (write instanceof Map<?, ?> map) {
      return map.size() == 1 && map.containsKey(TYPE)
          || TYPE.equals(map.get("type")) && map.containsKey("value");
    }
    return false;
  }

  /** The value an Overwrite write carries; {@code write} must be one ({@link #isOverwrite}). */
  public static Object valueOf(Object write) {
    if (write instanceof Overwrite overwrite) {
      return overwrite.value();
    }
    Map<?, ?> map = (Map<?, ?>) write;
    return map.size() == 1 && map.containsKey(TYPE) ? map.get(TYPE) : map.get("value");
  }

  /**
   * The step's writes with the Overwrite rule applied, for a channel that folds its writes: the index of the one
   * Overwrite among {@code writes} (or -1 when there is none).
   *
   * @throws InvalidUpdateException when two writes of the step are Overwrites, naming the channel, step and writers
   */
  static int find(String name, List<Write> writes, int step) {
    int found = -1;
    for (int i = 0; i < writes.size(); i++) {
      if (isOverwrite(writes.get(i).value())) {
        if (found >= 0) {
          List<String> writers = new ArrayList<>();
          for (Write w : writes) {
            if (isOverwrite(w.value())) {
              writers.add(w.node());
            }
          }
          throw new InvalidUpdateException("Channel '" + name + "' received " + writers.size()
              + " Overwrite values at step " + step + " from nodes " + writers + ". Can receive only one Overwrite "
              + "value per super-step (as LangGraph's INVALID_CONCURRENT_GRAPH_UPDATE): let one node overwrite it, "
              + "or write plain values and let the reducer combine them.", null, null, step, name, writers);
        }
        found = i;
      }
    }
    return found;
  }
}
