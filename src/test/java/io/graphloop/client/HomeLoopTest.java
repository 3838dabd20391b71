package io.graphloop.client;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The home loop's hand-over: every task given to {@link HomeLoop#execute} runs exactly once, on the home loop, whether
 * the loop was lingering (slot) or not (context task), with many callers racing the end of each linger.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HomeLoopTest {

  @Test
  void everyTaskRunsExactlyOnceOnTheHomeLoopWhileCallersRaceTheLinger(Vertx vertx) throws Exception {
    HomeLoop home = new HomeLoop(vertx);
    int callers = 6;
    int perCaller = 3_000;
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger offLoop = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(callers * perCaller);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perCaller; i++) {
          int id = caller * perCaller + i;
          CountDownLatch done = new CountDownLatch(1);
          home.execute(() -> {
            if (!home.context().nettyEventLoop().inEventLoop()) {
              offLoop.incrementAndGet();
            }
            ran.add(id);
            runs.incrementAndGet();
            all.countDown();
            done.countDown();
            home.linger(); // as after handing an outcome to a blocked caller
          });
          try {
            if (i % 2 == 0 && !done.await(10, TimeUnit.SECONDS)) { // half wait (next task lands in the linger)
              return;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    assertTrue(all.await(30, TimeUnit.SECONDS), "tasks never ran: " + (callers * perCaller - all.getCount())
        + " of " + callers * perCaller + " ran");
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertEquals(callers * perCaller, runs.get(), "no task ran twice");
    assertEquals(callers * perCaller, ran.size());
    assertEquals(0, offLoop.get(), "every task ran on the home loop");
  }
}
