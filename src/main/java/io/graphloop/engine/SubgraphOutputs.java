package io.graphloop.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.state.AppendChannel;
import io.graphloop.state.State;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The default way a subgraph's result becomes its parent's update: what the child changed. A key the parent
 * does not have, or whose value differs, is written; for the parent's append channels, when the child's list
 * starts with the parent's list, only the appended elements are written (so a shared message history is not
 * appended twice); unchanged keys are left out, so they cannot collide with other writers of the step.
 *
 * <p>Pure and stateless.
 */
public final class SubgraphOutputs {

  private SubgraphOutputs() {
  }

  /** The update to {@code parent} (of graph {@code parentGraph}) that the child's final state {@code child} makes. */
  public static Map<String, Object> delta(CompiledGraph parentGraph, State parent, State child) {
    Map<String, Object> update = new LinkedHashMap<>();
    for (String key : child.channels()) {
      Object value = child.get(key);
      if (!parent.has(key)) {
        update.put(key, value);
        continue;
      }
      Object before = parent.get(key);
      if (Objects.equals(before, value)) {
        continue;
      }
      if (parentGraph.channels().get(key) instanceof AppendChannel && before instanceof List && value instanceof List
          && startsWith((List<?>) value, (List<?>) before)) {
        List<?> after = (List<?>) value;
        update.put(key, after.subList(((List<?>) before).size(), after.size()));
      } else {
        update.put(key, value);
      }
    }
    return update;
  }

  private static boolean startsWith(List<?> list, List<?> prefix) {
    if (list.size() < prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!Objects.equals(list.get(i), prefix.get(i))) {
        return false;
      }
    }
    return true;
  }
}
