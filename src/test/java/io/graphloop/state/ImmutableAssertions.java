package io.graphloop.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tries every mutator of a map or list, with arguments that would change it, and expects each to be refused. */
final class ImmutableAssertions {

  private ImmutableAssertions() {
  }

  /** {@code map} must be non-empty; each mutator must throw and the contents must be unchanged afterwards. */
  static void assertMapRefusesEveryMutator(Map<String, Object> map) {
    assertTrue(!map.isEmpty(), "test needs a non-empty map");
    Map<String, Object> before = new LinkedHashMap<>(map);
    String present = map.keySet().iterator().next();
    Object presentValue = map.get(present);
    String absent = "absent-key-" + System.identityHashCode(map);
    Map<String, Executable> mutators = new LinkedHashMap<>();
    mutators.put("put(new)", () -> map.put(absent, 1));
    mutators.put("put(existing)", () -> map.put(present, "changed"));
    mutators.put("remove", () -> map.remove(present));
    mutators.put("remove(key, value)", () -> map.remove(present, presentValue));
    mutators.put("clear", map::clear);
    mutators.put("putAll", () -> map.putAll(Map.of(absent, 1)));
    mutators.put("putIfAbsent", () -> map.putIfAbsent(absent, 1));
    mutators.put("replace", () -> map.replace(present, "changed"));
    mutators.put("replace(key, old, new)", () -> map.replace(present, presentValue, "changed"));
    mutators.put("replaceAll", () -> map.replaceAll((k, v) -> "changed"));
    mutators.put("compute", () -> map.compute(present, (k, v) -> "changed"));
    mutators.put("computeIfAbsent", () -> map.computeIfAbsent(absent, k -> "changed"));
    mutators.put("computeIfPresent", () -> map.computeIfPresent(present, (k, v) -> "changed"));
    mutators.put("merge", () -> map.merge(present, "changed", (a, b) -> b));
    mutators.put("entry.setValue", () -> map.entrySet().iterator().next().setValue("changed"));
    mutators.put("entrySet.clear", () -> map.entrySet().clear());
    mutators.put("entrySet.iterator.remove", () -> {
      Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
      it.next();
      it.remove();
    });
    mutators.put("keySet.remove", () -> map.keySet().remove(present));
    mutators.put("keySet.iterator.remove", () -> {
      Iterator<String> it = map.keySet().iterator();
      it.next();
      it.remove();
    });
    mutators.put("keySet.retainAll", () -> map.keySet().retainAll(List.of()));
    mutators.put("values.remove", () -> map.values().remove(presentValue));
    mutators.put("values.removeIf", () -> map.values().removeIf(v -> true));
    for (Map.Entry<String, Executable> mutator : mutators.entrySet()) {
      assertThrows(UnsupportedOperationException.class, mutator.getValue(), mutator.getKey() + " must be refused");
    }
    assertEquals(before, map);
  }

  /** {@code list} must have at least two elements; each mutator must throw and the contents must be unchanged. */
  static void assertListRefusesEveryMutator(List<Object> list) {
    assertTrue(list.size() >= 2, "test needs a list of two or more");
    List<Object> before = new ArrayList<>(list);
    Object first = list.get(0);
    Map<String, Executable> mutators = new LinkedHashMap<>();
    mutators.put("add", () -> list.add("x"));
    mutators.put("add(index)", () -> list.add(0, "x"));
    mutators.put("addAll", () -> list.addAll(List.of("x")));
    mutators.put("addAll(index)", () -> list.addAll(0, List.of("x")));
    mutators.put("set", () -> list.set(0, "x"));
    mutators.put("remove(index)", () -> list.remove(0));
    mutators.put("remove(object)", () -> list.remove(first));
    mutators.put("removeAll", () -> list.removeAll(List.of(first)));
    mutators.put("retainAll", () -> list.retainAll(List.of()));
    mutators.put("removeIf", () -> list.removeIf(x -> true));
    mutators.put("replaceAll", () -> list.replaceAll(x -> "x"));
    mutators.put("sort", () -> list.sort((a, b) -> -1));
    mutators.put("clear", list::clear);
    mutators.put("iterator.remove", () -> {
      Iterator<Object> it = list.iterator();
      it.next();
      it.remove();
    });
    mutators.put("listIterator.set", () -> {
      ListIterator<Object> it = list.listIterator();
      it.next();
      it.set("x");
    });
    mutators.put("listIterator.add", () -> list.listIterator().add("x"));
    mutators.put("subList.clear", () -> list.subList(0, 1).clear());
    mutators.put("subList.set", () -> list.subList(0, 1).set(0, "x"));
    for (Map.Entry<String, Executable> mutator : mutators.entrySet()) {
      assertThrows(UnsupportedOperationException.class, mutator.getValue(), mutator.getKey() + " must be refused");
    }
    assertEquals(before, list);
  }
}
