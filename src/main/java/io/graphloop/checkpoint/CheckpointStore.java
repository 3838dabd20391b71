package io.graphloop.checkpoint;

import io.vertx.core.Future;

import java.util.List;
import java.time.Clock;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;

/**
 * Durable storage of checkpoints, channel blobs and pending writes, per thread (LangGraph's
 * {@code BaseCheckpointSaver}, reduced to storage: what to store is decided by {@link Checkpointer}). Three
 * implementations pass one contract test suite: {@link MemoryCheckpointStore}, {@link SqliteCheckpointStore},
 * {@link PostgresCheckpointStore}.
 *
 * <p>Every method returns a {@link Future} and never blocks the calling thread: a store does its I/O on its own
 * worker thread or with a non-blocking client, so any method may be called from an event loop. Futures complete
 * on the caller's context when there is one. Bad arguments (a missing thread id, blobs of another checkpoint, a
 * limit below 1) give a failed future with an {@link IllegalArgumentException}; database failures give a
 * {@link CheckpointStoreException} naming the store, the operation and the thread. After {@link #close()}, every
 * call fails with an {@link IllegalStateException}.
 *
 * <p>Implementations are thread-safe.
 */
public interface CheckpointStore {

  /**
   * Stores a checkpoint and the blobs it introduces, atomically (all or nothing). The blobs must belong to the
   * checkpoint's thread, have the checkpoint's id as version, and be exactly the channels whose version in
   * {@link CheckpointRecord#channelVersions()} is this checkpoint's id. Putting a checkpoint id again replaces
   * the row and its blobs (a retried put is harmless).
   *
   * <p>Fencing: the put is a compare-and-set on the thread's head (its newest checkpoint). It is refused with a
   * {@link ThreadTakenOverException} unless the head is the checkpoint's parent (or the thread has no checkpoint
   * and the checkpoint has no parent), the checkpoint itself (a retried put), or the checkpoint is a
   * {@link CheckpointSource#FORK}. Same as {@code put(checkpoint, blobs, checkpoint.parentId())}.
   */
  default Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    return put(checkpoint, blobs, checkpoint == null ? null : checkpoint.parentId());
  }

  /**
   * {@link #put(CheckpointRecord, List)} with the head the caller expects the thread to have: the put is stored
   * only if the thread's head is {@code expectedHead} ({@code null}: the thread has no checkpoint), the checkpoint
   * itself (a retried put), or the checkpoint is a {@link CheckpointSource#FORK}. A run that starts from an earlier
   * checkpoint than the head expects the head it saw when it started, for its first save (whose parent is the
   * earlier checkpoint), and its own last save afterwards.
   */
  Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead);

  /**
   * Stores the pending writes of one completed task of the step that started from {@code checkpointId},
   * atomically (a task's writes are all there or none is). Per (checkpointId, taskId, index) the first channel write is
   * kept and later ones are ignored, so a re-delivered task's writes never duplicate; a write to a special channel
   * (a negative index: error, interrupt, resume) replaces the earlier one, as it records the task's latest outcome
   * (LangGraph's upsert of {@code WRITES_IDX_MAP} channels). Every write must carry
   * {@code threadId} and {@code checkpointId}; an empty list stores nothing.
   */
  Future<Void> putWrites(String threadId, String checkpointId, List<WriteRecord> writes);

  /** The thread's newest checkpoint (the greatest id), or {@code null} when the thread has none. */
  Future<CheckpointRecord> latest(String threadId);

  /**
   * The thread's newest checkpoint with the blob chain of each channel it versions and its pending writes (what a run
   * starting on the thread needs), or {@code null} when the thread has none: the same as {@link #latest} followed by
   * {@link #chain} per channel and {@link #writes}, in one call. The SQLite store reads it all in one task of its
   * worker (one consistent view, instead of a task per read queued behind the saves); the others make those calls.
   */
  default Future<StoredCheckpoint> latestStored(String threadId) {
    return latest(threadId).compose(record -> record == null ? Future.succeededFuture()
        : StoredCheckpoint.read(this, record));
  }

  /** The checkpoint {@code checkpointId} of the thread, or {@code null} when there is no such checkpoint. */
  Future<CheckpointRecord> get(String threadId, String checkpointId);

  /**
   * The thread's checkpoints, newest first: at most {@code limit} (at least 1; {@code Integer.MAX_VALUE} for
   * all), and only those older than {@code before} when it is not {@code null} (a cursor: pass the last id of a
   * page to get the next). All lineages (forks) of the thread are listed together, by id.
   */
  Future<List<CheckpointRecord>> list(String threadId, int limit, String before);

  /**
   * The thread's checkpoints whose parent is {@code parentId}, oldest first: the step that followed it, and any
   * update or fork saved from it. A history entry reads its tasks' results from them
   * ({@link CheckpointRecord#taskResults()}). This default lists the whole thread; the stores read only the
   * checkpoints newer than the parent.
   */
  default Future<List<CheckpointRecord>> children(String threadId, String parentId) {
    return list(threadId, Integer.MAX_VALUE, null).map(all -> {
      List<CheckpointRecord> children = new java.util.ArrayList<>();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (parentId.equals(all.get(i).parentId())) {
          children.add(all.get(i));
        }
      }
      return children;
    });
  }

  /**
   * The blobs a channel's value at {@code version} is made of, newest first: the blob at {@code version}, then
   * for each append delta the blob it extends, ending with (and including) the nearest full blob. Empty when
   * there is no blob at {@code version}; a chain with a missing link ends early, without a full blob (the
   * {@link Checkpointer} reports that as a corrupt store).
   */
  Future<List<BlobRecord>> chain(String threadId, String channel, String version);

  /** The pending writes of the step that started from {@code checkpointId}, ordered by task id, then index. */
  Future<List<WriteRecord>> writes(String threadId, String checkpointId);

  /** Removes everything stored for the thread: checkpoints, blobs and writes. Nothing else changes. */
  Future<Void> deleteThread(String threadId);

  /**
   * Removes checkpoints {@code checkpointIds} of the thread (LangGraph Server's rollback of a run deletes the run's
   * checkpoints), atomically: each one's row, the pending writes stored under it, and the blobs it introduced (those
   * whose version is its id). Ids the thread does not have are ignored. The caller deletes only checkpoints no other
   * one depends on (a suffix of the thread's history: none of the remaining checkpoints may have one of them as
   * parent or blob version), which the store does not check. Stores that cannot fail with an
   * {@link UnsupportedOperationException}.
   */
  default Future<Void> deleteCheckpoints(String threadId, List<String> checkpointIds) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot delete single checkpoints"));
  }

  /**
   * Keeps only the newest {@code keepLatest} checkpoints of the thread (LangGraph's prune strategy {@code
   * keep_latest}, which keeps one): every older checkpoint is deleted with its pending writes and the blobs it
   * introduced, except the blobs a kept checkpoint still reads (an unchanged channel keeps the version of the
   * checkpoint that last wrote it, and an append channel's delta points to the blob before it, so a kept checkpoint
   * may need blobs of deleted ones). The kept checkpoints' states stay exactly what they were; their parent links
   * may then name a deleted checkpoint. Deletes in transactions of at most 500 checkpoints; a run saving meanwhile
   * is not disturbed (its checkpoint descends from the head, which is kept). Stores that cannot fail with an
   * {@link UnsupportedOperationException}.
   *
   * @param keepLatest how many of the newest checkpoints to keep, at least 1
   * @return how many checkpoints were deleted
   */
  default Future<Integer> pruneCheckpoints(String threadId, int keepLatest) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot prune checkpoints"));
  }

  /**
   * Up to {@code limit} threads with more than {@code keepLatest} checkpoints (what a keep-latest sweep prunes).
   * Stores that cannot answer fail with an {@link UnsupportedOperationException}.
   */
  default Future<List<String>> threadsWithMoreCheckpointsThan(int keepLatest, int limit) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot list threads by checkpoint count, so checkpoint retention cannot run on it"));
  }

  /**
   * Up to {@code limit} threads whose newest checkpoint was made before {@code before} (retention: threads idle
   * longer than a TTL), leaving out threads with a TTL of their own ({@link #setThreadTtl}). Stores that cannot answer fail with an {@link UnsupportedOperationException}.
   */
  default Future<List<String>> idleThreads(java.time.Instant before, int limit) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot list idle threads, so thread retention cannot run on it"));
  }

  /**
   * Gives thread {@code threadId} a TTL of its own (LangGraph Server's per-thread {@code ttl}), replacing the one it
   * had, or removes it ({@code ttl} {@code null}). The thread then expires once it has been inactive for the TTL:
   * its newest checkpoint and this call are both older than that ({@link #expiredThreads}). The thread need not have
   * checkpoints yet. A thread with a TTL of its own is left out of {@link #idleThreads} (the store-wide TTL). Its
   * TTL goes when the thread is deleted ({@link #deleteThread}). Stores that cannot fail with an
   * {@link UnsupportedOperationException}.
   */
  default Future<Void> setThreadTtl(String threadId, ThreadTtl ttl) {
    return setThreadTtl(threadId, ttl, java.time.Instant.now());
  }

  /**
   * {@link #setThreadTtl(String, ThreadTtl)} counting the thread as active at {@code since} (not now): the sweep
   * that prunes a {@code keep_latest} thread starts its TTL again at the time it swept.
   */
  default Future<Void> setThreadTtl(String threadId, ThreadTtl ttl, java.time.Instant since) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot keep thread TTLs"));
  }

  /** Thread {@code threadId}'s own TTL, or {@code null} when it has none. */
  default Future<ThreadTtl> threadTtl(String threadId) {
    return Future.succeededFuture();
  }

  /**
   * Up to {@code limit} threads whose own TTL ({@link #setThreadTtl}) has expired at {@code now}: neither their
   * newest checkpoint nor their TTL's last setting is within the TTL before {@code now}. Oldest deadline first. A
   * thread found still active (a checkpoint newer than its TTL's setting) has its deadline moved on, so active threads
   * never fill the list. Stores that cannot answer fail with an {@link UnsupportedOperationException}.
   */
  default Future<List<ThreadTtl.Expired>> expiredThreads(java.time.Instant now, int limit) {
    return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot keep thread TTLs"));
  }

  /**
   * What the thread occupies, in bytes: the UTF-8 length of every text field of its checkpoint rows, blobs and
   * writes (ids, names, times, and the JSON of values, metadata, versions, tasks and joins), the same measure in
   * every store. It leaves out integer columns, indexes and the database's own page and row overhead (for
   * SQLite, {@link SqliteCheckpointStore#fileBytes()} gives the file sizes).
   */
  Future<Long> storedBytes(String threadId);

  /**
   * A cache of node writes kept by this store (for {@code StateGraph.compile(NodeCache)}): in the database for the
   * SQL stores, so every coordinator sharing the store shares the cache; in this JVM for the memory store. Bounded
   * by {@code options}; entries expire by {@code clock}. Stores without one throw
   * {@link UnsupportedOperationException}.
   */
  default NodeCache nodeCache(NodeCacheOptions options, Clock clock) {
    throw new UnsupportedOperationException(describe() + " has no node cache; use io.graphloop.cache.MemoryNodeCache");
  }

  /** Same as {@link #nodeCache(NodeCacheOptions, Clock)} with default options and the system clock. */
  default NodeCache nodeCache() {
    return nodeCache(new NodeCacheOptions(), Clock.systemUTC());
  }

  /**
   * What the store's group commit has done so far (transactions and the saves they held), or {@code null} when it
   * does not group saves (memory). For metrics: the mean batch size is {@code saves / transactions}.
   */
  default GroupCommitStats groupCommitStats() {
    return null;
  }

  /** A short description for messages, e.g. {@code "SQLite checkpoint store /data/checkpoints.db"}. */
  String describe();

  /** Releases connections and threads; afterwards every call fails. Closing twice is harmless. */
  Future<Void> close();
}
