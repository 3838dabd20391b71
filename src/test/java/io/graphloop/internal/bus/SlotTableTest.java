package io.graphloop.internal.bus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SlotTable}: keys it chooses find their values and nothing else (removed keys, keys of a reused slot, made-up
 * keys), under a random mix of adds and removes checked against a {@code HashMap}; slots are reused, the table grows
 * with what it holds and shrinks back once emptied.
 */
class SlotTableTest {

  @Test
  void keysFindTheirValuesAndNothingElseUnderRandomAddsAndRemoves() {
    SlotTable<Integer> table = new SlotTable<>();
    Map<Long, Integer> model = new HashMap<>();
    List<Long> live = new ArrayList<>();
    List<Long> gone = new ArrayList<>();
    Random random = new Random(17);
    for (int i = 0; i < 200_000; i++) {
      if (live.isEmpty() || random.nextInt(100) < 55) {
        long key = table.add(i);
        assertTrue(key > 0, "keys are above 0: " + key);
        assertNull(model.put(key, i), "a key is never handed out twice while held");
        live.add(key);
      } else {
        long key = live.remove(random.nextInt(live.size()));
        assertEquals(model.remove(key), table.remove(key));
        gone.add(key);
      }
      assertEquals(model.size(), table.size());
    }
    for (Map.Entry<Long, Integer> held : model.entrySet()) {
      assertEquals(held.getValue(), table.get(held.getKey()));
    }
    int staleHits = 0;
    for (long key : gone) {
      if (!model.containsKey(key) && table.get(key) != null) {
        staleHits++;
      }
    }
    assertEquals(0, staleHits, "a removed key finds nothing, even where its slot holds another value now");
    assertNull(table.get(0));
    assertNull(table.get(-5));
    assertNull(table.get(Long.MAX_VALUE));
    assertNull(table.remove(12345), "a made-up key (a bare slot number) finds nothing");
    assertEquals(new HashSet<>(model.values()), new HashSet<>(table.values()));
  }

  @Test
  void aFreedSlotIsReusedUnderANewKey() {
    SlotTable<String> table = new SlotTable<>();
    long first = table.add("a");
    table.add("keeps the table from emptying");
    assertEquals("a", table.remove(first));
    long second = table.add("b");
    assertEquals(first & (SlotTable.MAX_SLOTS - 1), second & (SlotTable.MAX_SLOTS - 1), "the freed slot first");
    assertTrue(first != second, "under other random bits");
    assertNull(table.get(first));
    assertEquals("b", table.get(second));
  }

  @Test
  void growsWithWhatItHoldsAndShrinksBackOnceEmptied() {
    SlotTable<Integer> table = new SlotTable<>();
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      keys.add(table.add(i));
    }
    assertEquals(131_072, table.capacity());
    Set<Long> slots = new HashSet<>();
    for (long key : keys) {
      slots.add(key & (SlotTable.MAX_SLOTS - 1));
    }
    assertEquals(100_000, slots.size(), "one slot each");
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(i, table.remove(keys.get(i)));
    }
    assertEquals(0, table.size());
    assertEquals(SlotTable.KEEP_SLOTS, table.capacity(), "a drained burst gives its slots back");
    long again = table.add(7);
    assertEquals(0, again & (SlotTable.MAX_SLOTS - 1), "an emptied table starts from its first slot");
    for (long key : keys) {
      assertNull(table.get(key), "no key of the burst finds the new value");
    }
    table.clear();
    assertEquals(0, table.size());
    assertNull(table.get(again));
  }
}
