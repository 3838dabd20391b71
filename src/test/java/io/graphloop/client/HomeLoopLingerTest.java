package io.graphloop.client;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the home loop's linger counts for its {@link SpinRule}: a linger that finds the caller's next run already
 * queued (the caller saw the outcome first) is no miss, and neither backs lingering off; lingers that end empty are
 * misses, and two in a row back it off. Before, the first case counted as a miss and turned lingering off for the next
 * 64 hand-overs. The linger task is called directly on the home loop (no timing asserted).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HomeLoopLingerTest {

  @Test
  void aLingerBehindTheCallersQueuedRunIsNoMissAndEmptyLingersInARowBackOff(Vertx vertx, VertxTestContext ctx) {
    HomeLoop home = new HomeLoop(vertx);
    AtomicInteger ran = new AtomicInteger();
    home.context().runOnContext(v -> ctx.verify(() -> {
      for (int i = 0; i < 3; i++) {
        home.execute(ran::incrementAndGet); // the caller's next run, queued before the linger task runs
        home.lingerNow(null); // the linger task (called here directly): finds it queued and ends at once
        assertEquals(0, home.lingerRule().skipping(), "a linger that found queued work is no miss");
      }
      home.context().runOnContext(next -> ctx.verify(() -> {
        assertEquals(3, ran.get(), "every queued run ran");
        home.lingerNow(null); // nothing queued: an empty linger (at most lingerMicros), a first miss
        assertEquals(0, home.lingerRule().skipping(), "one miss does not back off");
        home.lingerNow(null);
        assertEquals(SpinRule.FIRST_WINDOW, home.lingerRule().skipping(), "two misses in a row back off");
        ctx.completeNow();
      }));
    }));
  }
}
