package io.graphloop.client;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked caller's hand-over: spin, then park; no lost wake-up; timeout and interrupt end the wait. */
class BlockingWaitTest {

  @Test
  void anOutcomeAlreadyThereIsReturnedAtOnce() throws Exception {
    BlockingWait<String> wait = new BlockingWait<>();
    wait.handle(Future.succeededFuture("done"));
    assertEquals("done", wait.await(TimeUnit.SECONDS.toNanos(1), 0).result());
  }

  @Test
  void anOutcomeArrivingAfterTheSpinWakesTheParkedCaller() throws Exception {
    BlockingWait<String> wait = new BlockingWait<>();
    CountDownLatch waiting = new CountDownLatch(1);
    Thread completer = new Thread(() -> {
      try {
        waiting.await();
        Thread.sleep(50); // well past the 10 us spin: the caller is parked
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      wait.handle(Future.failedFuture(new IllegalStateException("boom")));
    });
    completer.start();
    waiting.countDown();
    assertEquals("boom", wait.await(TimeUnit.SECONDS.toNanos(10), TimeUnit.MICROSECONDS.toNanos(10)).cause()
        .getMessage());
    completer.join(10_000);
  }

  @Test
  void manyHandOversLoseNoWakeUp() throws Exception {
    for (int i = 0; i < 2_000; i++) { // races the completer against the spin's end and the park
      BlockingWait<Integer> wait = new BlockingWait<>();
      int expected = i;
      Thread completer = new Thread(() -> wait.handle(Future.succeededFuture(expected)));
      completer.start();
      assertEquals(expected, wait.await(TimeUnit.SECONDS.toNanos(10), i % 2 == 0 ? 0 : 1_000).result());
      completer.join(10_000);
    }
  }

  @Test
  void noOutcomeWithinTheTimeoutThrowsTimeout() {
    BlockingWait<String> wait = new BlockingWait<>();
    assertThrows(TimeoutException.class, () -> wait.await(TimeUnit.MILLISECONDS.toNanos(20), 1_000));
  }

  @Test
  void anInterruptEndsTheWaitAndClearsTheFlag() throws Exception {
    BlockingWait<String> wait = new BlockingWait<>();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> wait.await(TimeUnit.SECONDS.toNanos(10), 0));
    assertTrue(!Thread.currentThread().isInterrupted());
  }
}
