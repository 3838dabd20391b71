package io.graphloop.checkpoint;

import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The argument checks and the closed state every store shares, so the three stores fail bad input the same
 * way; subclasses implement the {@code do*} operations with arguments already checked and lists copied.
 *
 * <p>Thread-safe: the checks use only the arguments, and the closed flag is volatile.
 */
abstract class AbstractCheckpointStore implements CheckpointStore {

  private volatile boolean closed;

  @Override
  public final Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    try {
      checkOpen();
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(blobs, "blobs");
      checkBlobs(checkpoint, blobs);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doPut(checkpoint, List.copyOf(blobs), expectedHead);
  }

  @Override
  public final Future<Void> putWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    try {
      checkOpen();
      checkIds(threadId, checkpointId);
      Objects.requireNonNull(writes, "writes");
      for (WriteRecord write : writes) {
        if (!write.threadId().equals(threadId) || !write.checkpointId().equals(checkpointId)) {
          throw new IllegalArgumentException("The write " + write.index() + " of task '" + write.taskId()
              + "' belongs to checkpoint " + write.checkpointId() + " of thread '" + write.threadId()
              + "', not to checkpoint " + checkpointId + " of thread '" + threadId + "'");
        }
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return writes.isEmpty() ? Future.succeededFuture() : doPutWrites(threadId, checkpointId, List.copyOf(writes));
  }

  @Override
  public final Future<CheckpointRecord> latest(String threadId) {
    try {
      checkOpen();
      checkThread(threadId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doLatest(threadId);
  }

  @Override
  public final Future<StoredCheckpoint> latestStored(String threadId) {
    try {
      checkOpen();
      checkThread(threadId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doLatestStored(threadId);
  }

  /** {@link #latestStored}: by default {@link #doLatest}, then the chains and writes at once. */
  Future<StoredCheckpoint> doLatestStored(String threadId) {
    return doLatest(threadId).compose(record -> record == null ? Future.succeededFuture()
        : StoredCheckpoint.read(this, record));
  }

  @Override
  public final Future<CheckpointRecord> get(String threadId, String checkpointId) {
    try {
      checkOpen();
      checkIds(threadId, checkpointId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doGet(threadId, checkpointId);
  }

  @Override
  public final Future<List<CheckpointRecord>> list(String threadId, int limit, String before) {
    try {
      checkOpen();
      checkThread(threadId);
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be greater than or equal to 1, was " + limit
            + " (use Integer.MAX_VALUE for all checkpoints)");
      }
      if (before != null && before.isEmpty()) {
        throw new IllegalArgumentException("before must be null or a checkpoint id, was \"\"");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doList(threadId, limit, before);
  }

  @Override
  public final Future<List<CheckpointRecord>> children(String threadId, String parentId) {
    try {
      checkOpen();
      checkIds(threadId, parentId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doChildren(threadId, parentId);
  }

  @Override
  public final Future<List<BlobRecord>> chain(String threadId, String channel, String version) {
    try {
      checkOpen();
      checkThread(threadId);
      CheckpointRecord.requireText(channel, "channel");
      CheckpointRecord.requireText(version, "version");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doChain(threadId, channel, version);
  }

  @Override
  public final Future<List<WriteRecord>> writes(String threadId, String checkpointId) {
    try {
      checkOpen();
      checkIds(threadId, checkpointId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doWrites(threadId, checkpointId);
  }

  @Override
  public final Future<Void> deleteThread(String threadId) {
    try {
      checkOpen();
      checkThread(threadId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doDeleteThread(threadId);
  }

  @Override
  public final Future<Void> deleteCheckpoints(String threadId, List<String> checkpointIds) {
    try {
      checkOpen();
      checkThread(threadId);
      Objects.requireNonNull(checkpointIds, "checkpointIds");
      checkpointIds.forEach(id -> CheckpointRecord.requireText(id, "a checkpoint id to delete"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return checkpointIds.isEmpty() ? Future.succeededFuture() : doDeleteCheckpoints(threadId, List.copyOf(checkpointIds));
  }

  @Override
  public final Future<Long> storedBytes(String threadId) {
    try {
      checkOpen();
      checkThread(threadId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doStoredBytes(threadId);
  }

  @Override
  public final Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return doClose();
  }

  /** Stores the put if the fencing rule allows it ({@link ThreadTakenOverException#allows}). */
  abstract Future<Void> doPut(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead);

  abstract Future<Void> doPutWrites(String threadId, String checkpointId, List<WriteRecord> writes);

  abstract Future<CheckpointRecord> doLatest(String threadId);

  abstract Future<CheckpointRecord> doGet(String threadId, String checkpointId);

  abstract Future<List<CheckpointRecord>> doList(String threadId, int limit, String before);

  /** The checkpoints whose parent is {@code parentId}, oldest first (see {@link #children}). */
  abstract Future<List<CheckpointRecord>> doChildren(String threadId, String parentId);

  abstract Future<List<BlobRecord>> doChain(String threadId, String channel, String version);

  abstract Future<List<WriteRecord>> doWrites(String threadId, String checkpointId);

  abstract Future<Void> doDeleteThread(String threadId);

  abstract Future<Void> doDeleteCheckpoints(String threadId, List<String> checkpointIds);

  @Override
  public final Future<List<String>> idleThreads(java.time.Instant before, int limit) {
    try {
      checkOpen();
      Objects.requireNonNull(before, "before");
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, got " + limit);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doIdleThreads(CheckpointIds.floorAt(before), limit);
  }

  @Override
  public final Future<Integer> pruneCheckpoints(String threadId, int keepLatest) {
    try {
      checkOpen();
      checkThread(threadId);
      CheckpointPruning.checkKeep(keepLatest);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return new CheckpointPruning(this, threadId, keepLatest).run();
  }

  @Override
  public final Future<List<String>> threadsWithMoreCheckpointsThan(int keepLatest, int limit) {
    try {
      checkOpen();
      CheckpointPruning.checkKeep(keepLatest);
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, got " + limit);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doThreadsWithMoreCheckpointsThan(keepLatest, limit);
  }

  @Override
  public final Future<Void> setThreadTtl(String threadId, ThreadTtl ttl, java.time.Instant since) {
    try {
      checkOpen();
      checkThread(threadId);
      Objects.requireNonNull(since, "since");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doSetTtl(threadId, ttl == null ? null : new TtlRow(threadId, ttl.strategy().wireName(), ttl.millis(),
        since.toEpochMilli() + ttl.millis(), null));
  }

  @Override
  public final Future<ThreadTtl> threadTtl(String threadId) {
    try {
      checkOpen();
      checkThread(threadId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return doTtl(threadId).map(row -> row == null ? null : row.ttl());
  }

  @Override
  public final Future<List<ThreadTtl.Expired>> expiredThreads(java.time.Instant now, int limit) {
    try {
      checkOpen();
      Objects.requireNonNull(now, "now");
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, got " + limit);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long nowMs = now.toEpochMilli();
    return doTtlCandidates(nowMs, limit).compose(candidates -> {
      List<ThreadTtl.Expired> expired = new java.util.ArrayList<>();
      List<TtlRow> active = new java.util.ArrayList<>();
      for (TtlRow row : candidates) {
        long lastActive = row.expiresMs() - row.ttlMs();
        if (row.headId() != null) {
          try {
            lastActive = Math.max(lastActive, CheckpointIds.millisOf(row.headId()));
          } catch (IllegalArgumentException notOurs) {
            // an id of another scheme carries no time: the TTL's setting decides
          }
        }
        if (lastActive + row.ttlMs() <= nowMs) {
          expired.add(new ThreadTtl.Expired(row.threadId(), row.ttl()));
        } else {
          active.add(new TtlRow(row.threadId(), row.strategy(), row.ttlMs(), lastActive + row.ttlMs(), null));
        }
      }
      return (active.isEmpty() ? Future.<Void>succeededFuture() : doMoveTtlDeadlines(active)).map(expired);
    });
  }

  /**
   * A stored thread TTL: the strategy's wire name, the TTL, its deadline if the thread stays inactive (the last
   * activity seen plus the TTL) and, from {@link #doTtlCandidates}, the thread's newest checkpoint id.
   */
  record TtlRow(String threadId, String strategy, long ttlMs, long expiresMs, String headId) {

    ThreadTtl ttl() {
      return new ThreadTtl(ThreadTtl.Strategy.of(strategy), ttlMs / 60_000.0);
    }
  }

  /** Stores (replaces) the thread's TTL row, or removes it when {@code row} is {@code null}. */
  abstract Future<Void> doSetTtl(String threadId, TtlRow row);

  /** The thread's TTL row, or {@code null}. */
  abstract Future<TtlRow> doTtl(String threadId);

  /** Up to {@code limit} TTL rows whose deadline is at or before {@code nowMs}, earliest first, with their heads. */
  abstract Future<List<TtlRow>> doTtlCandidates(long nowMs, int limit);

  /** Sets the deadlines of these threads' TTL rows (threads found active) to the rows' {@code expiresMs}. */
  abstract Future<Void> doMoveTtlDeadlines(List<TtlRow> rows);

  /** Threads with more than {@code keepLatest} checkpoints, at most {@code limit}. */
  abstract Future<List<String>> doThreadsWithMoreCheckpointsThan(int keepLatest, int limit);

  /**
   * Deletes, in one transaction, the rows and pending writes of {@code checkpointIds} and exactly the blobs
   * {@code blobs} (of this thread); nothing else.
   */
  abstract Future<Void> doPrune(String threadId, List<String> checkpointIds, List<CheckpointPruning.BlobKey> blobs);

  /** Threads whose greatest checkpoint id is below {@code floorId}, at most {@code limit}. */
  abstract Future<List<String>> doIdleThreads(String floorId, int limit);

  abstract Future<Long> doStoredBytes(String threadId);

  abstract Future<Void> doClose();

  /**
   * How a store reports that {@code operation} failed with {@code cause}: {@link #failure} unless the store knows
   * better (the PostgreSQL store names its pool's limit when the pool refused).
   */
  Throwable storeFailure(String operation, String threadId, Throwable cause) {
    return failure(operation, threadId, cause);
  }

  /** A failure of {@code operation} (e.g. "put of checkpoint x of thread 't'") caused by {@code cause}. */
  final CheckpointStoreException failure(String operation, String threadId, Throwable cause) {
    return new CheckpointStoreException(describe() + ": " + operation + " failed: " + cause.getMessage(), threadId,
        cause);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
  }

  private static void checkThread(String threadId) {
    CheckpointRecord.requireText(threadId, "threadId");
  }

  private static void checkIds(String threadId, String checkpointId) {
    checkThread(threadId);
    CheckpointRecord.requireText(checkpointId, "checkpointId");
  }

  /** The blobs must be exactly the channels this checkpoint versions with its own id, of its thread. */
  private static void checkBlobs(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    String id = checkpoint.checkpointId();
    java.util.function.Supplier<String> where = () -> "checkpoint " + id + " of thread '" + checkpoint.threadId() + "'";
    Set<String> seen = blobs.size() < 2 ? null : new HashSet<>();
    for (BlobRecord blob : blobs) {
      Objects.requireNonNull(blob, "blob");
      if (!blob.threadId().equals(checkpoint.threadId()) || !blob.version().equals(id)) {
        throw new IllegalArgumentException("The blob of channel '" + blob.channel() + "' (thread '" + blob.threadId()
            + "', version " + blob.version() + ") does not belong to " + where.get()
            + ": a checkpoint's blobs have its thread and its id as version");
      }
      if (!id.equals(checkpoint.channelVersions().get(blob.channel()))) {
        throw new IllegalArgumentException("The blob of channel '" + blob.channel() + "' is not versioned by "
            + where.get() + " (its channel versions give " + checkpoint.channelVersions().get(blob.channel()) + ")");
      }
      if (seen != null && !seen.add(blob.channel())) {
        throw new IllegalArgumentException("Two blobs of channel '" + blob.channel() + "' for " + where.get());
      }
    }
    for (Map.Entry<String, String> e : checkpoint.channelVersions().entrySet()) {
      if (e.getValue().equals(id) && !(seen != null ? seen.contains(e.getKey())
          : !blobs.isEmpty() && blobs.get(0).channel().equals(e.getKey()))) {
        throw new IllegalArgumentException("Channel '" + e.getKey() + "' is versioned by " + where.get()
            + " but no blob holds its value");
      }
    }
  }
}
