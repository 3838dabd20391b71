package io.graphloop.internal.bus;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongKeyMapTest {

  @Test
  void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
    Random random = new Random(42);
    LongKeyMap<String> map = new LongKeyMap<>();
    Map<Long, String> reference = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      // a narrow key range forces collisions, long probe runs and backward shifts; bursts grow and shrink the table
      long key = 1 + random.nextInt(i % 50_000 < 25_000 ? 64 : 5_000);
      if (random.nextInt(3) == 0) {
        assertEquals(reference.remove(key), map.remove(key), "remove " + key + " at operation " + i);
      } else {
        String value = "v" + i;
        reference.put(key, value);
        map.put(key, value);
      }
      assertEquals(reference.size(), map.size(), "size at operation " + i);
    }
    for (Map.Entry<Long, String> entry : reference.entrySet()) {
      assertEquals(entry.getValue(), map.get(entry.getKey()));
    }
    assertEquals(reference.size(), map.values().size());
  }

  @Test
  void sequentialIdsAddedAndRemovedInOrderLeaveNothingBehind() {
    LongKeyMap<Long> map = new LongKeyMap<>();
    for (long id = 1; id <= 100_000; id++) {
      map.put(id, id);
      if (id > 1_000) {
        assertEquals(id - 1_000, map.remove(id - 1_000));
      }
    }
    for (long id = 99_001; id <= 100_000; id++) {
      assertEquals(id, map.remove(id));
    }
    assertEquals(0, map.size());
    assertNull(map.get(5));
  }

  @Test
  void refusesKeysThatAreNotPositive() {
    LongKeyMap<String> map = new LongKeyMap<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map.put(0, "x"));
    assertEquals("keys must be above 0, was 0", e.getMessage());
    assertNull(map.get(0));
    assertNull(map.remove(-3));
  }
}
