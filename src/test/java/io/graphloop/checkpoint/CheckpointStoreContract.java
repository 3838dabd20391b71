package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.checkpoint.Fixtures.bare;
import static io.graphloop.checkpoint.Fixtures.ids;
import static io.graphloop.checkpoint.Fixtures.newThread;
import static io.graphloop.checkpoint.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link CheckpointStore} passes, part one: the store's own operations (as LangGraph's
 * {@code checkpoint-conformance}). Part two, {@link CheckpointerContract}, runs the {@link Checkpointer} over the
 * store. A store's test class extends {@link CheckpointPruningContract} and says how to open the store.
 *
 * <p>Each test gets a fresh Vert.x instance and an open store; thread ids are unique per test, so stores that
 * outlive a test (PostgreSQL) need no cleaning. Nothing here blocks an event loop: tests compose futures and
 * finish through {@link VertxTestContext}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
abstract class CheckpointStoreContract {

  protected Vertx vertx;
  protected CheckpointStore store;

  /** Opens the store under test. */
  protected abstract Future<? extends CheckpointStore> openStore(Vertx vertx);

  @BeforeEach
  void openTheStore(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    openStore(vertx).onComplete(ctx.succeeding(opened -> {
      store = opened;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void closeTheStore(VertxTestContext ctx) {
    if (store == null) {
      ctx.completeNow();
      return;
    }
    store.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void putThenGetAndLatestReturnTheSameRecord(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("writes", Map.of("llm", Map.of("answer", "42")));
    metadata.put("runId", "run-1");
    metadata.put("none", null);
    CheckpointRecord record = new CheckpointRecord(thread, id, null, 3, Instant.parse("2025-06-01T10:00:00.5Z"),
        CheckpointSource.UPDATE, metadata, Map.of("messages", id), List.of(CheckpointRecord.task("r:4:llm", "llm",
        null), CheckpointRecord.task("r:4:tool:push0", "tool", Map.of("call", List.of(1, 2)))),
        Map.of("[a, b] -> c", List.of("a")), Map.of("messages", 0));
    store.put(record, List.of(BlobRecord.full(thread, "messages", id, List.of("hi"))))
        .compose(v -> store.get(thread, id))
        .compose(got -> store.latest(thread).map(latest -> List.of(got, latest)))
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          assertEquals(record, got.get(0));
          assertEquals(record, got.get(1));
          assertEquals(record.toJson().encode(), got.get(0).toJson().encode(), "same JSON, same key order");
          ctx.completeNow();
        })));
  }

  /** A checkpoint of {@code thread} whose id was made at {@code at} (a first checkpoint: no parent). */
  private Future<String> checkpointAt(String thread, Instant at) {
    String id = new CheckpointIds(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)).nextId();
    CheckpointRecord record = new CheckpointRecord(thread, id, null, -1, at, CheckpointSource.INPUT, Map.of(),
        Map.of(), List.of(), Map.of(), Map.of());
    return store.put(record, List.of()).map(id);
  }

  /** Retention finds the threads whose newest checkpoint is older than a time, and only those. */
  @Test
  void idleThreadsAreThoseWhoseNewestCheckpointIsOlder(VertxTestContext ctx) {
    Instant now = Instant.now();
    String old = newThread();
    String revived = newThread();
    String fresh = newThread();
    checkpointAt(old, now.minus(java.time.Duration.ofDays(400)))
        .compose(v -> checkpointAt(revived, now.minus(java.time.Duration.ofDays(400))))
        .compose(first -> store.put(new CheckpointRecord(revived, CheckpointIds.next(), first, 0, now,
            CheckpointSource.LOOP, Map.of(), Map.of(), List.of(), Map.of(), Map.of()), List.of()))
        .compose(v -> checkpointAt(fresh, now))
        .compose(v -> store.idleThreads(now.minus(java.time.Duration.ofDays(300)), 100_000))
        .compose(idle -> {
          ctx.verify(() -> {
            assertTrue(idle.contains(old), "a thread idle for 400 days: " + idle);
            assertFalse(idle.contains(revived), "a thread with a new checkpoint is not idle");
            assertFalse(idle.contains(fresh));
          });
          return store.idleThreads(now.minus(java.time.Duration.ofDays(300)), 1);
        })
        .onComplete(ctx.succeeding(one -> ctx.verify(() -> {
          assertEquals(1, one.size(), "the limit holds");
          ctx.completeNow();
        })));
  }

  @Test
  void anUnknownThreadOrCheckpointReadsAsNothing(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    store.latest(thread)
        .compose(latest -> store.get(thread, id).map(got -> {
          assertNull(latest);
          assertNull(got);
          return got;
        }))
        .compose(v -> store.list(thread, 10, null))
        .compose(list -> store.chain(thread, "x", id).map(chain -> {
          assertEquals(List.of(), list);
          assertEquals(List.of(), chain);
          return chain;
        }))
        .compose(v -> store.writes(thread, id))
        .compose(writes -> store.storedBytes(thread).map(bytes -> {
          assertEquals(List.of(), writes);
          assertEquals(0L, bytes);
          return bytes;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void listIsNewestFirstWithALimitAndABeforeCursor(VertxTestContext ctx) {
    String thread = newThread();
    List<String> ids = ids(5);
    Future<Void> puts = Future.succeededFuture();
    for (int i = 0; i < 5; i++) {
      int step = i;
      puts = puts.compose(v -> store.put(bare(thread, ids.get(step), step == 0 ? null : ids.get(step - 1), step),
          List.of()));
    }
    puts.compose(v -> store.list(thread, Integer.MAX_VALUE, null))
        .compose(all -> store.list(thread, 2, null).map(page -> {
          assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), idsOf(all));
          assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(page));
          return page;
        }))
        .compose(page -> store.list(thread, 2, page.get(1).checkpointId()))
        .compose(next -> store.list(thread, 10, ids.get(0)).map(none -> {
          assertEquals(List.of(ids.get(2), ids.get(1)), idsOf(next));
          assertEquals(List.of(), none);
          return none;
        }))
        .compose(v -> store.latest(thread))
        .onComplete(ctx.succeeding(latest -> ctx.verify(() -> {
          assertEquals(ids.get(4), latest.checkpointId());
          assertEquals(4, latest.step());
          ctx.completeNow();
        })));
  }

  @Test
  void aChainFollowsAppendDeltasBackToTheNearestFullBlob(VertxTestContext ctx) {
    String thread = newThread();
    List<String> v = ids(5);
    store.put(record(thread, v.get(0), null, 0, List.of("m")), List.of(BlobRecord.full(thread, "m", v.get(0),
            List.of("a"))))
        .compose(x -> store.put(record(thread, v.get(1), v.get(0), 1, List.of("m")),
            List.of(BlobRecord.append(thread, "m", v.get(1), v.get(0), List.of("b")))))
        .compose(x -> store.put(record(thread, v.get(2), v.get(1), 2, List.of("m")),
            List.of(BlobRecord.append(thread, "m", v.get(2), v.get(1), List.of("c", "d")))))
        .compose(x -> store.put(record(thread, v.get(3), v.get(2), 3, List.of("m")),
            List.of(BlobRecord.full(thread, "m", v.get(3), List.of("x")))))
        .compose(x -> store.put(record(thread, v.get(4), v.get(3), 4, List.of("m")),
            List.of(BlobRecord.append(thread, "m", v.get(4), v.get(3), List.of("y")))))
        .compose(x -> Future.all(store.chain(thread, "m", v.get(2)), store.chain(thread, "m", v.get(4)),
            store.chain(thread, "m", v.get(0)), store.chain(thread, "other", v.get(0))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<BlobRecord> third = all.resultAt(0);
          assertEquals(List.of(v.get(2), v.get(1), v.get(0)), third.stream().map(BlobRecord::version).toList());
          assertEquals(List.of(List.of("c", "d"), List.of("b"), List.of("a")),
              third.stream().map(BlobRecord::value).toList());
          assertEquals(BlobRecord.Kind.FULL, third.get(2).kind());
          assertEquals(v.get(1), third.get(0).prevVersion());
          List<BlobRecord> fifth = all.resultAt(1);
          assertEquals(List.of(v.get(4), v.get(3)), fifth.stream().map(BlobRecord::version).toList());
          assertEquals(1, all.<List<BlobRecord>>resultAt(2).size());
          assertEquals(List.of(), all.resultAt(3));
          ctx.completeNow();
        })));
  }

  /**
   * {@link CheckpointStore#latestStored}: the newest checkpoint with each channel's chain (an append delta down to its
   * full blob, an unchanged channel at an older version) and its pending writes, as the separate reads give them;
   * {@code null} for a thread without checkpoints.
   */
  @Test
  void latestStoredIsTheNewestCheckpointWithItsChainsAndWrites(VertxTestContext ctx) {
    String thread = newThread();
    List<String> v = ids(2);
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("m", v.get(1));
    versions.put("n", v.get(0));
    store.put(record(thread, v.get(0), null, 0, List.of("m", "n")), List.of(BlobRecord.full(thread, "m", v.get(0),
            List.of("a")), BlobRecord.full(thread, "n", v.get(0), 7)))
        .compose(x -> store.put(record(thread, v.get(1), v.get(0), 1, versions, Map.of("m", 1)),
            List.of(BlobRecord.append(thread, "m", v.get(1), v.get(0), List.of("b")))))
        .compose(x -> store.putWrites(thread, v.get(1), List.of(new WriteRecord(thread, v.get(1), "t", "node", 0,
            "m", List.of("c")))))
        .compose(x -> Future.all(store.latestStored(thread), store.latestStored(newThread()), store.latest(thread),
            store.chain(thread, "m", v.get(1)), store.chain(thread, "n", v.get(0)), store.writes(thread, v.get(1))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          StoredCheckpoint stored = all.resultAt(0);
          assertNull(all.resultAt(1), "a thread without checkpoints");
          assertEquals(all.<CheckpointRecord>resultAt(2), stored.record());
          assertEquals(List.of("m", "n"), List.copyOf(stored.chains().keySet()));
          assertEquals(all.<List<BlobRecord>>resultAt(3), stored.chains().get("m"));
          assertEquals(2, stored.chains().get("m").size(), "the delta and its full blob");
          assertEquals(all.<List<BlobRecord>>resultAt(4), stored.chains().get("n"));
          assertEquals(all.<List<WriteRecord>>resultAt(5), stored.writes());
          assertEquals(1, stored.writes().size());
          ctx.completeNow();
        })));
  }

  @Test
  void aChainWithAMissingLinkEndsWithoutAFullBlob(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    store.put(record(thread, id, null, 0, List.of("m")),
            List.of(BlobRecord.append(thread, "m", id, "lost-version", List.of("b"))))
        .compose(x -> store.chain(thread, "m", id))
        .onComplete(ctx.succeeding(chain -> ctx.verify(() -> {
          assertEquals(1, chain.size());
          assertEquals(BlobRecord.Kind.APPEND, chain.get(0).kind());
          ctx.completeNow();
        })));
  }

  @Test
  void aSpecialWriteReplacesTheTasksEarlierOneWhileChannelWritesKeepTheFirst(VertxTestContext ctx) {
    String thread = newThread();
    String cp = CheckpointIds.next();
    store.put(bare(thread, cp, null, 0), List.of())
        .compose(v -> store.putWrites(thread, cp, List.of(write(thread, cp, "task", -3, WriteRecord.INTERRUPT, "first"),
            write(thread, cp, "task", -4, WriteRecord.RESUME, List.of()))))
        .compose(v -> store.putWrites(thread, cp, List.of(
            write(thread, cp, "task", -3, WriteRecord.INTERRUPT, "second"),
            write(thread, cp, "task", -4, WriteRecord.RESUME, List.of("yes")), write(thread, cp, "task", 0, "x", 1))))
        .compose(v -> store.putWrites(thread, cp, List.of(write(thread, cp, "task", 0, "x", 2))))
        .compose(v -> store.writes(thread, cp))
        .onComplete(ctx.succeeding(writes -> ctx.verify(() -> {
          assertEquals(List.of("task/-4", "task/-3", "task/0"),
              writes.stream().map(w -> w.taskId() + "/" + w.index()).toList());
          assertEquals(List.of("yes"), writes.get(0).value(), "the task's latest resume values");
          assertEquals("second", writes.get(1).value(), "the task's latest interrupt");
          assertEquals(1, writes.get(2).value(), "a channel write keeps the first");
          ctx.completeNow();
        })));
  }

  @Test
  void pendingWritesAreKeptOncePerTaskAndIndexInTaskThenIndexOrder(VertxTestContext ctx) {
    String thread = newThread();
    String cp = CheckpointIds.next();
    String other = CheckpointIds.next();
    store.put(bare(thread, cp, null, 0), List.of())
        .compose(v -> store.putWrites(thread, cp, List.of(write(thread, cp, "task-b", 0, "x", 1),
            write(thread, cp, "task-b", 1, "y", 2))))
        .compose(v -> store.putWrites(thread, cp, List.of(write(thread, cp, "task-a", 0, "x", 3),
            write(thread, cp, "task-a", -1, WriteRecord.ERROR, Map.of("message", "boom")))))
        .compose(v -> store.putWrites(thread, cp, List.of(write(thread, cp, "task-b", 0, "x", 99),
            write(thread, cp, "task-b", 1, "y", 98))))
        .compose(v -> store.putWrites(thread, other, List.of(write(thread, other, "task-c", 0, "x", 5))))
        .compose(v -> store.writes(thread, cp))
        .compose(writes -> store.writes(thread, other).map(others -> List.of(writes, others)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          List<WriteRecord> writes = both.get(0);
          assertEquals(List.of("task-a/-1", "task-a/0", "task-b/0", "task-b/1"),
              writes.stream().map(w -> w.taskId() + "/" + w.index()).toList());
          assertEquals(Map.of("message", "boom"), writes.get(0).value());
          assertEquals(List.of(3, 1, 2), writes.subList(1, 4).stream().map(WriteRecord::value).toList(),
              "the first writes of a re-delivered task are kept");
          assertEquals(write(thread, cp, "task-b", 1, "y", 2), writes.get(3));
          assertEquals(List.of(write(thread, other, "task-c", 0, "x", 5)), both.get(1));
          ctx.completeNow();
        })));
  }

  /**
   * A checkpoint's task results (the results of its parent's tasks, {@link CheckpointRecord#taskResults()}) are
   * stored in its own row beside its joins and come back unchanged, the joins without them; a checkpoint without any
   * (as every row an older version wrote) reads with none; {@code children} lists a checkpoint's children oldest
   * first.
   */
  @Test
  void taskResultsComeBackWithTheirCheckpointAndChildrenAreListedOldestFirst(VertxTestContext ctx) {
    String thread = newThread();
    List<String> ids = ids(4);
    Map<String, Object> joins = Map.of("[a, b] -> c", List.of("a"));
    CheckpointRecord root = new CheckpointRecord(thread, ids.get(0), null, -1, Instant.parse("2025-06-01T10:00:00Z"),
        CheckpointSource.INPUT, Map.of(), Map.of(), List.of(CheckpointRecord.task("r:-1:__start__", "__start__",
        Map.of("q", 1))), joins, Map.of());
    CheckpointRecord loop = new CheckpointRecord(thread, ids.get(1), ids.get(0), 0, root.createdAt(),
        CheckpointSource.LOOP, Map.of(), Map.of(), List.of(CheckpointRecord.task("r:0:a", "a", null)), joins,
        Map.of()).withTaskResults(List.of(true));
    CheckpointRecord update = bare(thread, ids.get(2), ids.get(0), 0);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("answer", List.of("x", 2, Map.of("nested", true)));
    result.put("none", null);
    CheckpointRecord next = bare(thread, ids.get(3), ids.get(1), 1)
        .withTaskResults(java.util.Arrays.asList(null, result));
    store.put(root, List.of())
        .compose(v -> store.put(loop, List.of()))
        .compose(v -> store.put(update, List.of(), ids.get(1))) // a sibling of loop: fenced on the head
        .compose(v -> store.put(next, List.of(), ids.get(2)))
        .compose(v -> Future.all(store.get(thread, ids.get(0)), store.get(thread, ids.get(1)),
            store.latest(thread), store.list(thread, 10, null)))
        .compose(read -> {
          ctx.verify(() -> {
            assertEquals(root, read.resultAt(0));
            assertEquals(List.of(), ((CheckpointRecord) read.resultAt(0)).taskResults(), "a row without results");
            assertEquals(loop, read.resultAt(1));
            assertEquals(joins, ((CheckpointRecord) read.resultAt(1)).joins(), "the joins without the results");
            assertEquals(next, read.resultAt(2));
            assertEquals(List.of(next, update, loop, root), read.resultAt(3));
          });
          return Future.all(store.children(thread, ids.get(0)), store.children(thread, ids.get(1)),
              store.children(thread, ids.get(3)), store.children(newThread(), ids.get(0)));
        })
        .onComplete(ctx.succeeding(children -> ctx.verify(() -> {
          assertEquals(List.of(loop, update), children.resultAt(0));
          assertEquals(List.of(next), children.resultAt(1));
          assertEquals(List.of(), children.resultAt(2));
          assertEquals(List.of(), children.resultAt(3), "another thread's checkpoints are not its children");
          ctx.completeNow();
        })));
  }

  @Test
  void puttingACheckpointAgainReplacesIt(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    CheckpointRecord first = record(thread, id, null, 0, List.of("a"));
    CheckpointRecord second = new CheckpointRecord(thread, id, null, 0, first.createdAt(), CheckpointSource.LOOP,
        Map.of("retried", true), first.channelVersions(), List.of(), Map.of(), Map.of());
    store.put(first, List.of(BlobRecord.full(thread, "a", id, 1)))
        .compose(v -> store.put(second, List.of(BlobRecord.full(thread, "a", id, 2))))
        .compose(v -> store.list(thread, 10, null))
        .compose(list -> store.chain(thread, "a", id).map(chain -> {
          assertEquals(List.of(second), list);
          assertEquals(2, chain.get(0).value());
          return chain;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deleteThreadRemovesThatThreadOnly(VertxTestContext ctx) {
    String doomed = newThread();
    String kept = newThread();
    String a = CheckpointIds.next();
    String b = CheckpointIds.next();
    store.put(record(doomed, a, null, 0, List.of("m")), List.of(BlobRecord.full(doomed, "m", a, List.of(1))))
        .compose(v -> store.putWrites(doomed, a, List.of(write(doomed, a, "t", 0, "m", 2))))
        .compose(v -> store.put(record(kept, b, null, 0, List.of("m")), List.of(BlobRecord.full(kept, "m", b, "k"))))
        .compose(v -> store.putWrites(kept, b, List.of(write(kept, b, "t", 0, "m", 3))))
        .compose(v -> store.deleteThread(doomed))
        .compose(v -> Future.all(List.of(store.latest(doomed), store.chain(doomed, "m", a), store.writes(doomed, a),
            store.storedBytes(doomed), store.latest(kept), store.chain(kept, "m", b), store.writes(kept, b),
            store.storedBytes(kept))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertNull(all.resultAt(0));
          assertEquals(List.of(), all.resultAt(1));
          assertEquals(List.of(), all.resultAt(2));
          assertEquals(0L, all.<Long>resultAt(3));
          assertEquals(b, all.<CheckpointRecord>resultAt(4).checkpointId());
          assertEquals(1, all.<List<?>>resultAt(5).size());
          assertEquals(1, all.<List<?>>resultAt(6).size());
          assertTrue(all.<Long>resultAt(7) > 0);
          ctx.completeNow();
        })));
  }

  @Test
  void deleteCheckpointsRemovesThemTheirWritesAndTheirBlobsOnly(VertxTestContext ctx) {
    String thread = newThread();
    String other = newThread();
    String a = CheckpointIds.next();
    String b = CheckpointIds.next();
    String c = CheckpointIds.next();
    // a writes m; b writes n (m still a's); c writes m again: deleting b and c leaves a with its blob and writes
    store.put(record(thread, a, null, 0, List.of("m")), List.of(BlobRecord.full(thread, "m", a, "a")))
        .compose(v -> store.putWrites(thread, a, List.of(write(thread, a, "t", 0, "m", "wa"))))
        .compose(v -> store.put(record(thread, b, a, 1, java.util.Map.of("m", a, "n", b), java.util.Map.of()),
            List.of(BlobRecord.full(thread, "n", b, "b"))))
        .compose(v -> store.putWrites(thread, b, List.of(write(thread, b, "t", 0, "n", "wb"))))
        .compose(v -> store.put(record(thread, c, b, 2, java.util.Map.of("m", c, "n", b), java.util.Map.of()),
            List.of(BlobRecord.full(thread, "m", c, "c"))))
        .compose(v -> store.put(record(other, b, null, 0, List.of("n")), List.of(BlobRecord.full(other, "n", b, "o"))))
        .compose(v -> store.deleteCheckpoints(thread, List.of(c, b, "no-such-checkpoint")))
        .compose(v -> Future.all(List.of(store.latest(thread), store.list(thread, 10, null), store.chain(thread, "m", a),
            store.chain(thread, "m", c), store.chain(thread, "n", b), store.writes(thread, a), store.writes(thread, b),
            store.latest(other))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(a, all.<CheckpointRecord>resultAt(0).checkpointId(), "the head is a again");
          assertEquals(1, all.<List<?>>resultAt(1).size());
          assertEquals(1, all.<List<?>>resultAt(2).size(), "a's blob stays");
          assertEquals(List.of(), all.resultAt(3), "c's blob went");
          assertEquals(List.of(), all.resultAt(4), "b's blob went");
          assertEquals(1, all.<List<?>>resultAt(5).size(), "a's writes stay");
          assertEquals(List.of(), all.resultAt(6), "b's writes went");
          assertEquals(b, all.<CheckpointRecord>resultAt(7).checkpointId(), "another thread's checkpoint b stays");
          ctx.completeNow();
        })));
  }

  @Test
  void storedBytesCountsTheThreadsRows(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    String big = "x".repeat(10_000);
    store.put(record(thread, id, null, 0, List.of("text")), List.of(BlobRecord.full(thread, "text", id, big)))
        .compose(v -> store.storedBytes(thread))
        .compose(before -> store.putWrites(thread, id, List.of(write(thread, id, "t", 0, "text", "é".repeat(1000))))
            .compose(v -> store.storedBytes(thread)).map(after -> List.of(before, after)))
        .onComplete(ctx.succeeding(bytes -> ctx.verify(() -> {
          long before = bytes.get(0);
          assertTrue(before > 10_002 && before < 10_002 + 1_000, "the JSON string plus the row's ids: " + before);
          long added = bytes.get(1) - before;
          assertTrue(added > 2_002 && added < 2_002 + 200, "é is 2 bytes in UTF-8, so 2002 bytes of JSON: " + added);
          ctx.completeNow();
        })));
  }

  @Test
  void badInputFailsWithAMessageNamingIt(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    String elsewhere = CheckpointIds.next();
    CheckpointRecord twoChannels = record(thread, id, null, 0, List.of("a", "b"));
    Future.all(List.of(
            expectFailure(store.put(twoChannels, List.of(BlobRecord.full(thread, "a", id, 1))),
                IllegalArgumentException.class, "Channel 'b' is versioned by checkpoint " + id),
            expectFailure(store.put(twoChannels, List.of(BlobRecord.full("other", "a", id, 1),
                BlobRecord.full(thread, "b", id, 1))), IllegalArgumentException.class, "does not belong to"),
            expectFailure(store.put(bare(thread, id, null, 0), List.of(BlobRecord.full(thread, "a", id, 1))),
                IllegalArgumentException.class, "not versioned by"),
            expectFailure(store.putWrites(thread, id, List.of(write(thread, elsewhere, "t", 0, "a", 1))),
                IllegalArgumentException.class, "belongs to checkpoint " + elsewhere),
            expectFailure(store.list(thread, 0, null), IllegalArgumentException.class, "limit must be"),
            expectFailure(store.latest(null), IllegalArgumentException.class, "threadId"),
            expectFailure(store.get(thread, ""), IllegalArgumentException.class, "checkpointId")))
        .compose(v -> store.latest(thread))
        .onComplete(ctx.succeeding(latest -> ctx.verify(() -> {
          assertNull(latest, "nothing was stored by the refused puts");
          ctx.completeNow();
        })));
  }

  @Test
  void aClosedStoreRefusesEveryCall(VertxTestContext ctx) {
    store.close()
        .compose(v -> store.close())
        .compose(v -> expectFailure(store.latest(newThread()), IllegalStateException.class, "is closed"))
        .onComplete(ctx.succeedingThenComplete());
  }

  static WriteRecord write(String thread, String checkpoint, String task, int index, String channel, Object value) {
    return new WriteRecord(thread, checkpoint, task, "node-" + task, index, channel, value);
  }

  static List<String> idsOf(List<CheckpointRecord> records) {
    return records.stream().map(CheckpointRecord::checkpointId).toList();
  }

  /** Succeeds when {@code future} failed with {@code type} and a message containing {@code text}. */
  static Future<Void> expectFailure(Future<?> future, Class<? extends Throwable> type, String text) {
    return future.transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture(new AssertionError("expected a " + type.getSimpleName() + " containing '" + text
            + "', got a success: " + ar.result()));
      }
      try {
        assertInstanceOf(type, ar.cause());
        assertTrue(String.valueOf(ar.cause().getMessage()).contains(text),
            "'" + ar.cause().getMessage() + "' should contain '" + text + "'");
      } catch (AssertionError e) {
        return Future.failedFuture(e);
      }
      return Future.succeededFuture();
    });
  }
}
