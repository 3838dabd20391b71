package io.graphloop.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frozen maps behave as an ordered read-only map whether kept in an array (small) or a hash map (large). */
class FrozenMapTest {

  @Test
  void smallAndLargeMapsKeepOrderNullValuesAndEqualityAndRefuseChanges() {
    for (int size : new int[] {0, 1, 2, FrozenMap.SMALL, FrozenMap.SMALL + 1, 40}) {
      LinkedHashMap<String, Object> source = new LinkedHashMap<>();
      for (int i = size - 1; i >= 0; i--) { // not sorted: order must be insertion order
        source.put("k" + i, i % 3 == 0 ? null : i);
      }
      LinkedHashMap<String, Object> expected = new LinkedHashMap<>(source);
      FrozenMap frozen = new FrozenMap(source);
      assertEquals(expected, frozen, "size " + size);
      assertEquals(frozen, expected);
      assertEquals(expected.hashCode(), frozen.hashCode());
      assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(frozen.keySet()));
      assertEquals(size, frozen.size());
      assertEquals(size == 0, frozen.isEmpty());
      for (int i = 0; i < size; i++) {
        String key = new String("k" + i); // equal, not identical
        assertTrue(frozen.containsKey(key));
        assertEquals(expected.get(key), frozen.get(key));
      }
      assertFalse(frozen.containsKey("absent"));
      assertNull(frozen.get("absent"));
      assertFalse(frozen.containsKey(null));
      assertThrows(UnsupportedOperationException.class, () -> frozen.put("x", 1));
      Iterator<Map.Entry<String, Object>> entries = frozen.entrySet().iterator();
      if (size > 0) {
        Map.Entry<String, Object> first = entries.next();
        assertThrows(UnsupportedOperationException.class, () -> first.setValue(9));
        assertThrows(UnsupportedOperationException.class, entries::remove);
      }
      LinkedHashMap<String, Object> copy = frozen.copy();
      copy.put("added", 1);
      assertEquals(size, frozen.size(), "a copy is independent");
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(frozen.copy().keySet()));
    }
  }

  /**
   * The builder of the next version (State.toBuilder, Values.freezeMap) gives what a LinkedHashMap would: a new key
   * last, a replaced key in its place, null values kept, across the move from the array to a hash map and back from
   * either kind of start; the map it started from does not change.
   */
  @Test
  void builderMatchesALinkedHashMapAcrossTheSmallLimit() {
    java.util.Random random = new java.util.Random(17);
    for (int startSize : new int[] {0, 1, 3, FrozenMap.SMALL - 1, FrozenMap.SMALL, FrozenMap.SMALL + 2}) {
      for (int round = 0; round < 50; round++) {
        LinkedHashMap<String, Object> start = new LinkedHashMap<>();
        for (int i = 0; i < startSize; i++) {
          start.put("s" + i, i);
        }
        FrozenMap from = startSize == 0 ? FrozenMap.EMPTY : new FrozenMap(new LinkedHashMap<>(start));
        LinkedHashMap<String, Object> expected = new LinkedHashMap<>(start);
        FrozenMap.Builder builder = round % 2 == 0 ? new FrozenMap.Builder(from) : null;
        if (builder == null) { // the empty builder, filled with the start entries first
          builder = new FrozenMap.Builder(random.nextInt(2 * FrozenMap.SMALL));
          for (Map.Entry<String, Object> e : start.entrySet()) {
            builder.put(new String(e.getKey()), e.getValue());
          }
        }
        int puts = random.nextInt(3 * FrozenMap.SMALL);
        for (int p = 0; p < puts; p++) {
          String key = random.nextBoolean() ? "s" + random.nextInt(Math.max(1, startSize)) : "n" + random.nextInt(12);
          Object value = random.nextInt(4) == 0 ? null : p;
          expected.put(key, value);
          builder.put(new String(key), value); // equal, not identical
        }
        FrozenMap built = builder.build();
        assertEquals(expected, built, "start " + startSize + ", round " + round);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(built.keySet()));
        assertEquals(expected.isEmpty(), built.isEmpty());
        assertEquals(start, from, "the map the builder started from is unchanged");
      }
    }
  }
}
