package io.graphloop.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint ids: version 7 UUIDs whose string order is their creation order. */
class CheckpointIdsTest {

  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    long millis;

    HandClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private static void assertStrictlyIncreasing(List<String> ids) {
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " !< " + ids.get(i) + " at " + i);
    }
  }

  @Test
  void idsAreVersion7UuidsCarryingTheirTime() {
    HandClock clock = new HandClock(1_700_000_000_123L);
    String id = new CheckpointIds(clock).nextId();
    UUID uuid = UUID.fromString(id);
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(36, id.length());
    assertEquals(1_700_000_000_123L, CheckpointIds.millisOf(id));
  }

  @Test
  void idsSortInCreationOrderEvenWhenTheClockStandsStillOrGoesBack() {
    HandClock clock = new HandClock(1_700_000_000_000L);
    CheckpointIds ids = new CheckpointIds(clock);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(ids.nextId());          // thousands in one millisecond: the counter, then the next millisecond
    }
    clock.millis -= 60_000;            // the clock jumps back a minute
    for (int i = 0; i < 100; i++) {
      made.add(ids.nextId());
    }
    clock.millis += 3_600_000;
    made.add(ids.nextId());
    assertStrictlyIncreasing(made);
  }

  @Test
  void anIdAfterAFloorFromAFastClockIsGreaterThanTheFloor() {
    String floor = new CheckpointIds(new HandClock(2_000_000_000_000L)).nextId();
    CheckpointIds slow = new CheckpointIds(new HandClock(1_000_000_000_000L));
    String after = slow.nextIdAfter(floor);
    assertTrue(after.compareTo(floor) > 0);
    assertTrue(slow.nextId().compareTo(after) > 0, "and the generator goes on from there");
    assertTrue(slow.nextIdAfter("not-a-uuid").length() == 36, "a foreign id is ignored");
  }

  @Test
  void theSystemGeneratorIsMonotonicAcrossThreads() throws InterruptedException {
    List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          mine.add(CheckpointIds.next());
        }
        assertStrictlyIncreasing(mine);
        all.addAll(mine);
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(20_000, all.stream().distinct().count());
  }

  @Test
  void somethingElseIsNotACheckpointId() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CheckpointIds.millisOf(UUID.randomUUID().toString()));
    assertTrue(e.getMessage().contains("is not a checkpoint id"));
  }
}
