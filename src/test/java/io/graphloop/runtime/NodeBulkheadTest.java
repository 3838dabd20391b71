package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.LimitReachedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's concurrency limit on its own: permits, a bounded FIFO queue, refusal, cancellation. No Vert.x. */
class NodeBulkheadTest {

  private final List<String> started = new ArrayList<>();

  private Runnable start(String name) {
    return () -> started.add(name);
  }

  @Test
  void grantsUpToMaxConcurrencyPermitsAtOnce() {
    NodeBulkhead bulkhead = new NodeBulkhead("g", "llm", 3, 10);
    for (int i = 0; i < 3; i++) {
      assertTrue(bulkhead.enter(start("e" + i), "run-" + i, 0).startedNow());
    }
    assertEquals(3, bulkhead.running());
    assertEquals(0, bulkhead.queued());
    assertTrue(started.isEmpty(), "an execution that starts now is run by the caller, not by its callback");
  }

  @Test
  void excessExecutionsWaitAndTakeOverFreedPermitsInFifoOrder() {
    NodeBulkhead bulkhead = new NodeBulkhead("g", "llm", 2, 10);
    bulkhead.enter(start("a"), "r", 0);
    bulkhead.enter(start("b"), "r", 0);
    NodeBulkhead.Ticket c = bulkhead.enter(start("c"), "r", 0);
    NodeBulkhead.Ticket d = bulkhead.enter(start("d"), "r", 0);
    NodeBulkhead.Ticket e = bulkhead.enter(start("e"), "r", 0);
    assertFalse(c.startedNow());
    assertFalse(d.startedNow());
    assertFalse(e.startedNow());
    assertEquals(2, bulkhead.running());
    assertEquals(3, bulkhead.queued());

    bulkhead.leave();
    assertEquals(List.of("c"), started, "the oldest waiting execution takes the freed permit");
    assertEquals(2, bulkhead.running(), "a hand-over keeps the number of permits held");
    assertEquals(2, bulkhead.queued());
    bulkhead.leave();
    bulkhead.leave();
    assertEquals(List.of("c", "d", "e"), started);
    assertEquals(2, bulkhead.running());
    assertEquals(0, bulkhead.queued());

    bulkhead.leave();
    bulkhead.leave();
    assertEquals(0, bulkhead.running());
    assertTrue(bulkhead.enter(start("f"), "r", 1).startedNow(), "freed permits are granted again");
  }

  @Test
  void refusesWhenTheLimitIsReachedAndTheQueueIsFull() {
    NodeBulkhead bulkhead = new NodeBulkhead("research", "llm", 2, 1);
    bulkhead.enter(start("a"), "r", 0);
    bulkhead.enter(start("b"), "r", 0);
    bulkhead.enter(start("c"), "r", 0);
    LimitReachedException e = assertThrows(LimitReachedException.class, () -> bulkhead.enter(start("d"), "run-7", 4));
    assertEquals(FailureCode.OVERLOADED, e.code());
    assertEquals("research", e.graph());
    assertEquals("llm", e.node());
    assertEquals("run-7", e.runId());
    assertEquals(4, e.step());
    assertEquals("maxConcurrency", e.limitName());
    assertEquals(2, e.limit());
    String message = e.getMessage();
    assertTrue(message.contains("Node 'llm' of graph 'research' reached its concurrency limit"), message);
    assertTrue(message.contains("maxConcurrency 2"), message);
    assertTrue(message.contains("maxQueued 1"), message);
    assertTrue(message.contains("2 executions running and 1 waiting"), message);
    assertEquals(2, bulkhead.running(), "a refusal changes nothing");
    assertEquals(1, bulkhead.queued());
    assertTrue(started.isEmpty());
  }

  @Test
  void withNoQueueTheExcessIsRefusedAtOnce() {
    NodeBulkhead bulkhead = new NodeBulkhead("g", "n", 1, 0);
    assertTrue(bulkhead.enter(start("a"), "r", 0).startedNow());
    assertThrows(LimitReachedException.class, () -> bulkhead.enter(start("b"), "r", 0));
    bulkhead.leave();
    assertTrue(bulkhead.enter(start("c"), "r", 0).startedNow());
  }

  @Test
  void aCancelledTicketLeavesTheQueueAndIsSkipped() {
    NodeBulkhead bulkhead = new NodeBulkhead("g", "n", 1, 2);
    bulkhead.enter(start("a"), "r", 0);
    NodeBulkhead.Ticket b = bulkhead.enter(start("b"), "r", 0);
    bulkhead.enter(start("c"), "r", 0);
    bulkhead.cancel(b);
    assertEquals(1, bulkhead.queued(), "the cancelled ticket frees its queue place");
    bulkhead.enter(start("d"), "r", 0);
    assertEquals(2, bulkhead.queued());

    bulkhead.leave();
    assertEquals(List.of("c"), started, "b was cancelled, so c takes the permit");
    bulkhead.leave();
    assertEquals(List.of("c", "d"), started);
    bulkhead.leave();
    assertEquals(0, bulkhead.running());
    assertEquals(List.of("c", "d"), started, "b never starts");
  }

  @Test
  void cancellingAStartedTicketHasNoEffect() {
    NodeBulkhead bulkhead = new NodeBulkhead("g", "n", 1, 1);
    NodeBulkhead.Ticket a = bulkhead.enter(start("a"), "r", 0);
    NodeBulkhead.Ticket b = bulkhead.enter(start("b"), "r", 0);
    bulkhead.leave();
    assertEquals(List.of("b"), started);
    bulkhead.cancel(a);
    bulkhead.cancel(b);
    assertEquals(1, bulkhead.running(), "b still holds the permit it took over");
    bulkhead.leave();
    assertEquals(0, bulkhead.running());
  }

  @Test
  void neverExceedsTheLimitUnderContention() throws Exception {
    int limit = 4;
    NodeBulkhead bulkhead = new NodeBulkhead("g", "n", limit, 10_000);
    AtomicInteger active = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int executions = 2_000;
    CountDownLatch done = new CountDownLatch(executions);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < executions; i++) {
        pool.execute(() -> {
          Runnable[] body = new Runnable[1];
          body[0] = () -> {
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            Thread.yield();
            active.decrementAndGet();
            bulkhead.leave();
            done.countDown();
          };
          NodeBulkhead.Ticket ticket = bulkhead.enter(() -> pool.execute(body[0]), "r", 0);
          if (ticket.startedNow()) {
            body[0].run();
          }
        });
      }
      assertTrue(done.await(10, TimeUnit.SECONDS), "every execution ran; left: " + done.getCount());
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }
    assertTrue(peak.get() <= limit, "peak " + peak.get());
    assertEquals(0, bulkhead.running());
    assertEquals(0, bulkhead.queued());
  }
}
