package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of threads' own TTLs ({@link CheckpointStore#setThreadTtl}, {@link CheckpointStore#expiredThreads}),
 * part of every store's test ({@link MemoryCheckpointStoreTest}, {@link SqliteCheckpointStoreTest},
 * {@link PostgresCheckpointStoreTest}). Times are given to {@code expiredThreads}, so nothing waits.
 */
abstract class ThreadTtlContract extends CheckpointPruningContract {

  private Future<String> checkpointAt(String thread, String parent, Instant at) {
    String id = new CheckpointIds(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)).nextIdAfter(parent);
    CheckpointRecord record = new CheckpointRecord(thread, id, parent, parent == null ? -1 : 0, at,
        parent == null ? CheckpointSource.INPUT : CheckpointSource.LOOP, Map.of(), Map.of(), List.of(), Map.of(),
        Map.of());
    return store.put(record, List.of()).map(id);
  }

  private static boolean lists(List<ThreadTtl.Expired> expired, String thread) {
    return expired.stream().anyMatch(e -> e.threadId().equals(thread));
  }

  /** A thread expires once inactive for its TTL; a checkpoint or a new TTL is activity; a thread may have none. */
  @Test
  void aThreadExpiresOnceInactiveForItsOwnTtl(VertxTestContext ctx) {
    Instant now = Instant.now();
    String quiet = newThread();
    String busy = newThread();
    String empty = newThread();
    String none = newThread();
    store.setThreadTtl(quiet, ThreadTtl.delete(60))
        .compose(v -> store.setThreadTtl(busy, new ThreadTtl(ThreadTtl.Strategy.KEEP_LATEST, 60)))
        .compose(v -> store.setThreadTtl(empty, ThreadTtl.delete(1)))
        .compose(v -> checkpointAt(quiet, null, now.minus(Duration.ofDays(3))))
        .compose(v -> checkpointAt(none, null, now.minus(Duration.ofDays(3))))
        .compose(v -> checkpointAt(busy, null, now))
        .compose(first -> checkpointAt(busy, first, now.plus(Duration.ofMinutes(50))))
        .compose(v -> store.expiredThreads(now.plus(Duration.ofMinutes(30)), 100_000))
        .compose(early -> {
          ctx.verify(() -> {
            assertFalse(lists(early, quiet), "its TTL was set just now, which counts as activity: " + early);
            assertFalse(lists(early, busy));
            assertTrue(lists(early, empty), "a thread without checkpoints expires too: " + early);
            assertFalse(lists(early, none), "a thread without a TTL of its own never expires here");
          });
          return store.expiredThreads(now.plus(Duration.ofMinutes(61)), 100_000);
        })
        .compose(later -> {
          ctx.verify(() -> {
            assertTrue(lists(later, quiet), "an hour after its TTL was set: " + later);
            assertFalse(lists(later, busy), "its checkpoint 50 minutes in keeps it alive for an hour more");
            ThreadTtl.Expired found = later.stream().filter(e -> e.threadId().equals(quiet)).findFirst().orElseThrow();
            assertEquals(ThreadTtl.delete(60), found.ttl());
          });
          return store.expiredThreads(now.plus(Duration.ofMinutes(111)), 100_000);
        })
        .compose(latest -> {
          ctx.verify(() -> {
            ThreadTtl.Expired found = latest.stream().filter(e -> e.threadId().equals(busy)).findFirst()
                .orElseThrow(() -> new AssertionError("an hour after its last checkpoint: " + latest));
            assertEquals(ThreadTtl.Strategy.KEEP_LATEST, found.ttl().strategy());
          });
          return store.threadTtl(busy);
        })
        .onComplete(ctx.succeeding(ttl -> ctx.verify(() -> {
          assertEquals(new ThreadTtl(ThreadTtl.Strategy.KEEP_LATEST, 60), ttl);
          ctx.completeNow();
        })));
  }

  /** A thread with its own TTL is left to it by the store-wide idle-thread retention; deleting it drops its TTL. */
  @Test
  void aThreadsOwnTtlOverridesTheStoreWideOneAndGoesWithTheThread(VertxTestContext ctx) {
    Instant now = Instant.now();
    String own = newThread();
    String plain = newThread();
    checkpointAt(own, null, now.minus(Duration.ofDays(400)))
        .compose(v -> checkpointAt(plain, null, now.minus(Duration.ofDays(400))))
        .compose(v -> store.setThreadTtl(own, ThreadTtl.delete(60 * 24 * 1000)))
        .compose(v -> store.idleThreads(now.minus(Duration.ofDays(300)), 100_000))
        .compose(idle -> {
          ctx.verify(() -> {
            assertTrue(idle.contains(plain), idle.toString());
            assertFalse(idle.contains(own), "its own TTL (1,000 days) decides: " + idle);
          });
          return store.deleteThread(own);
        })
        .compose(v -> store.threadTtl(own))
        .compose(ttl -> {
          ctx.verify(() -> assertNull(ttl, "deleted with the thread"));
          return store.setThreadTtl(plain, ThreadTtl.delete(5)).compose(v -> store.setThreadTtl(plain, null))
              .compose(v -> store.threadTtl(plain));
        })
        .onComplete(ctx.succeeding(cleared -> ctx.verify(() -> {
          assertNull(cleared, "a null TTL removes it");
          ctx.completeNow();
        })));
  }

  /** A due list is bounded, earliest deadline first, and threads found active leave it (their deadline moves on). */
  @Test
  void activeThreadsDoNotFillTheDueList(VertxTestContext ctx) {
    Instant now = Instant.now();
    String active = newThread();
    String idle = newThread();
    store.setThreadTtl(active, ThreadTtl.delete(1))
        .compose(v -> store.setThreadTtl(idle, ThreadTtl.delete(2)))
        .compose(v -> checkpointAt(active, null, now.plus(Duration.ofDays(10))))
        .compose(v -> store.expiredThreads(now.plus(Duration.ofDays(1)), 100_000))
        .compose(first -> {
          ctx.verify(() -> {
            assertFalse(lists(first, active), "a checkpoint 10 days in: active " + first);
            assertTrue(lists(first, idle), first.toString());
          });
          return store.expiredThreads(now.plus(Duration.ofDays(1)), 1);
        })
        .onComplete(ctx.succeeding(one -> ctx.verify(() -> {
          assertEquals(1, one.size(), "the limit holds");
          assertFalse(lists(one, active), "its deadline moved past the active thread's checkpoint");
          ctx.completeNow();
        })));
  }

  /** What LangGraph Server's API and SDK send is read; anything else is refused saying what is expected. */
  @Test
  void aTtlIsReadAsTheSdkSendsItAndBadOnesAreRefused(VertxTestContext ctx) {
    ctx.verify(() -> {
      assertEquals(ThreadTtl.delete(43_200), ThreadTtl.fromJson(43_200));
      assertEquals(ThreadTtl.delete(1.5), ThreadTtl.fromJson(new JsonObject().put("ttl", 1.5)));
      assertEquals(new ThreadTtl(ThreadTtl.Strategy.KEEP_LATEST, 10),
          ThreadTtl.fromJson(new JsonObject().put("ttl", 10).put("strategy", "keep_latest")));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ThreadTtl.fromJson(0)).getMessage()
          .contains("positive number of minutes"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ThreadTtl.fromJson(new JsonObject()
          .put("ttl", 5).put("strategy", "archive"))).getMessage().contains("\"delete\" or \"keep_latest\""));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ThreadTtl.fromJson(new JsonObject()
          .put("minutes", 5))).getMessage().contains("unknown field 'minutes'"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ThreadTtl.fromJson("5")).getMessage()
          .contains("a number of minutes or an object"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ThreadTtl.fromJson(Double.NaN)).getMessage()
          .contains("positive number of minutes"));
    });
    store.setThreadTtl("", ThreadTtl.delete(1)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertTrue(e instanceof IllegalArgumentException, e.toString());
      ctx.completeNow();
    })));
  }
}
