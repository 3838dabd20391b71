package io.graphloop.internal.bus;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 2: the ids a caller did not receive cannot be guessed. Run ids are version-4 UUIDs whose 122 other
 * bits are random; capability tokens are 128 random bits; correlation tags are 64 random bits, never 0. "Random" is
 * checked as far as a unit test can: the fixed bits are exactly the UUID's, every other bit is set in about half of
 * 20,000 ids (within 5 standard deviations), no id repeats among 200,000 drawn on four threads at once (each thread
 * has its own generator), and consecutive ids are not related by a counter.
 */
class SecureIdsTest {

  private static final int SAMPLE = 20_000;

  @Test
  void runIdsAreVersion4UuidsWith122RandomBits() {
    int[] ones = new int[128];
    for (int i = 0; i < SAMPLE; i++) {
      UUID id = UUID.fromString(SecureIds.uuid());
      assertEquals(4, id.version());
      assertEquals(2, id.variant());
      count(ones, id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
    int random = 0;
    for (int bit = 0; bit < 128; bit++) {
      boolean version = bit >= 12 && bit < 16; // bits 48-51 of the high half, counted from its low end
      boolean variant = bit == 64 + 62 || bit == 64 + 63;
      if (version || variant) {
        assertTrue(ones[bit] == 0 || ones[bit] == SAMPLE, "bit " + bit + " is fixed");
      } else {
        assertBalanced(bit, ones[bit]);
        random++;
      }
    }
    assertEquals(122, random);
  }

  @Test
  void tokensAre128RandomBitsAndTagsAreNeverZero() {
    int[] ones = new int[128];
    for (int i = 0; i < SAMPLE; i++) {
      String token = SecureIds.token();
      assertTrue(token.matches("[0-9a-f]{32}"), token);
      count(ones, Long.parseUnsignedLong(token.substring(0, 16), 16), Long.parseUnsignedLong(token.substring(16), 16));
      assertNotEquals(0, SecureIds.nextNonZeroLong());
    }
    for (int bit = 0; bit < 128; bit++) {
      assertBalanced(bit, ones[bit]);
    }
    assertTrue(SecureIds.sameToken("abc", "abc"));
    assertFalse(SecureIds.sameToken("abc", "abd"));
    assertFalse(SecureIds.sameToken(null, null), "no token: nothing matches");
    assertFalse(SecureIds.sameToken("abc", 42));
  }

  @Test
  void idsDrawnOnManyThreadsAtOnceNeverRepeatNorCountUp() throws Exception {
    Set<String> all = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      Set<Future<?>> done = new HashSet<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          long previous = SecureIds.nextLong();
          int counting = 0;
          for (int i = 0; i < 50_000; i++) {
            all.add(SecureIds.uuid());
            long next = SecureIds.nextLong();
            if (Math.abs(next - previous) < 1_000_000) {
              counting++;
            }
            previous = next;
          }
          assertTrue(counting < 5, counting + " consecutive values were within a million of each other");
          return null;
        }));
      }
      for (Future<?> thread : done) {
        thread.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(200_000, all.size(), "no run id repeats");
  }

  private static void count(int[] ones, long high, long low) {
    for (int bit = 0; bit < 64; bit++) {
      ones[bit] += (int) ((high >>> bit) & 1);
      ones[64 + bit] += (int) ((low >>> bit) & 1);
    }
  }

  private static void assertBalanced(int bit, int ones) {
    double sigma = Math.sqrt(SAMPLE * 0.25);
    assertTrue(Math.abs(ones - SAMPLE / 2.0) < 5 * sigma, "bit " + bit + " set in " + ones + " of " + SAMPLE);
  }
}
