package io.graphloop.runtime;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked-loop report discounts GC pauses: a pause after a mark must be seen, and none when there was none. */
class GcPausesTest {

  @BeforeAll
  static void load() {
    Vertx vertx = Vertx.vertx();
    try {
      Await.result(GcPauses.load(vertx)); // on a worker: reading the collectors initialises java.lang.management
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void aMarkBeforeTheCollectorsWereReadDiscountsNothing() {
    assertEquals(0, GcPauses.since(GcPauses.NOT_LOADED));
    assertTrue(GcPauses.mark() >= 0, "loaded: a mark is the collectors' notified total");
  }

  @Test
  void aFullCollectionAfterTheMarkIsCountedAndNeverMoreThanItTook() {
    List<Object[]> live = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      live.add(new Object[] {new int[4], String.valueOf(i)}); // enough live objects for a pause of some milliseconds
    }
    long mark = GcPauses.since(0); // the collectors' total now (a mark() may lag it by a pending notification)
    long before = System.nanoTime();
    System.gc(); // a stop-the-world full collection under the default collector
    long tookMs = (System.nanoTime() - before) / 1_000_000 + 1;
    long paused = GcPauses.since(mark);
    assertTrue(paused >= 1 && paused <= tookMs, "paused " + paused + " ms during a System.gc() of " + tookMs + " ms");
    assertTrue(GcPauses.mark() <= GcPauses.since(0), "a mark never runs ahead of the collectors' total");
    assertEquals(300_000, live.size());
  }

  @Test
  void nothingIsCountedWithoutACollection() {
    long totalNow = GcPauses.since(0);
    assertEquals(0, GcPauses.since(totalNow), "a mark at the current total sees no pause");
  }
}
