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
}
