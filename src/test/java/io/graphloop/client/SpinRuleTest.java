package io.graphloop.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SpinRule}'s state machine, fed with outcomes (no clock, no threads): isolated misses keep spinning on, misses
 * in a row back off for a window that doubles up to its cap, a hit resets it, and the worst case stated in its
 * javadoc (every spin misses) holds.
 */
class SpinRuleTest {

  @Test
  void anIsolatedMissKeepsSpinningOn() {
    SpinRule rule = new SpinRule();
    for (int i = 0; i < 1_000; i++) {
      assertTrue(rule.shouldSpin(), "wait " + i);
      rule.spun(i % 10 != 3); // one miss in ten, never two in a row
    }
    assertEquals(0, rule.skipping());
    assertEquals(SpinRule.FIRST_WINDOW, rule.skipWindow());
  }

  @Test
  void missesInARowBackOffForAWindowThatDoublesWhileRetriesMissAndAHitResetsIt() {
    SpinRule rule = new SpinRule();
    rule.spun(false);
    assertTrue(rule.shouldSpin(), "one miss does not back off");
    rule.spun(false);
    assertEquals(SpinRule.FIRST_WINDOW, rule.skipping());
    skipAll(rule, SpinRule.FIRST_WINDOW);
    assertTrue(rule.shouldSpin(), "the retry after the window");
    rule.spun(false); // the retry misses: backs off again at once, twice as long
    assertEquals(2 * SpinRule.FIRST_WINDOW, rule.skipping());
    skipAll(rule, 2 * SpinRule.FIRST_WINDOW);
    assertTrue(rule.shouldSpin());
    rule.spun(true);
    assertEquals(SpinRule.FIRST_WINDOW, rule.skipWindow(), "a hit resets the window");
    assertTrue(rule.shouldSpin());
    rule.spun(false);
    assertTrue(rule.shouldSpin(), "after a hit, one miss is isolated again");
  }

  @Test
  void whenEverySpinMissesItSpinsNineTimesInTheFirst10000WaitsThenOncePer4097() {
    SpinRule rule = new SpinRule();
    int spins = 0;
    int lastSpin = -1;
    int gap = 0;
    for (int wait = 0; wait < 30_000; wait++) {
      if (rule.shouldSpin()) {
        if (wait < 10_000) {
          spins++;
        } else if (lastSpin >= 10_000) {
          gap = wait - lastSpin;
        }
        lastSpin = wait;
        rule.spun(false);
      }
    }
    assertEquals(9, spins);
    assertEquals(SpinRule.MAX_WINDOW + 1, gap);
    assertEquals(SpinRule.MAX_WINDOW, rule.skipWindow(), "capped");
  }

  private static void skipAll(SpinRule rule, int waits) {
    for (int i = 0; i < waits; i++) {
      assertFalse(rule.shouldSpin(), "skipped wait " + i);
    }
  }
}
