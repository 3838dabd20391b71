package io.graphloop.checkpoint;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.time.Clock;
import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A checkpoint store in this JVM's memory, for tests and development (LangGraph's {@code InMemorySaver}). It
 * keeps the immutable records themselves, no copies; nothing survives the JVM. So that what passes here passes
 * on the durable stores, a put encodes its rows as JSON the way they do (and drops the text): a value JSON cannot
 * hold fails here too. Strings are ordered by code point, which is the bytewise UTF-8 order of the SQL stores.
 *
 * <p>Thread-safe: every operation holds the store's lock for a moment and returns an already completed future;
 * the JSON encoding of a put (and of the whole thread, for {@link #storedBytes}) runs on the calling thread.
 */
public final class MemoryCheckpointStore extends AbstractCheckpointStore {

  /** Orders strings as their UTF-8 bytes (by code point), like the SQL stores' key columns. */
  static final Comparator<String> BYTEWISE = MemoryCheckpointStore::compareCodePoints;

  private static final Comparator<WriteRecord> WRITE_ORDER =
      Comparator.comparing(WriteRecord::taskId, BYTEWISE).thenComparingInt(WriteRecord::index);

  private final Map<String, ThreadData> threads = new HashMap<>();
  /** Threads' own TTLs ({@link #setThreadTtl}); guarded by this. */
  private final Map<String, TtlRow> ttls = new HashMap<>();
  /** The store's node cache, made at the first {@link #nodeCache} call; guarded by this. */
  private MemoryNodeCache nodeCache;
  private NodeCacheOptions nodeCacheOptions;
  private Clock nodeCacheClock;

  /**
   * The store's node cache in this JVM's memory ({@link MemoryNodeCache}): one per store, so runtimes sharing this
   * store share it. The first call sets its options and clock; a later call with other ones is refused.
   */
  @Override
  public synchronized NodeCache nodeCache(NodeCacheOptions options, Clock clock) {
    if (nodeCache == null) {
      nodeCacheOptions = new NodeCacheOptions(options);
      nodeCacheClock = clock;
      nodeCache = new MemoryNodeCache(nodeCacheOptions, clock);
    } else if (nodeCacheOptions.getMaxEntries() != options.getMaxEntries() || !nodeCacheClock.equals(clock)) {
      throw new IllegalStateException("The node cache of this memory checkpoint store was made with " + nodeCacheOptions
          + " and " + nodeCacheClock + "; it cannot be had with " + options + " and " + clock);
    }
    return nodeCache;
  }

  /** The data of one thread; guarded by the store's lock. */
  private static final class ThreadData {
    final NavigableMap<String, CheckpointRecord> checkpoints = new TreeMap<>(BYTEWISE);
    final Map<BlobKey, BlobRecord> blobs = new HashMap<>();
    final Map<String, TreeMap<WriteRecord, WriteRecord>> writes = new HashMap<>();
  }

  private record BlobKey(String channel, String version) {
  }

  @Override
  Future<Void> doPut(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    try {
      CheckpointRows.checkpoint(checkpoint);
      blobs.forEach(CheckpointRows::blob);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(failure("put of checkpoint " + checkpoint.checkpointId() + " of thread '"
          + checkpoint.threadId() + "'", checkpoint.threadId(), e));
    }
    return store(checkpoint, blobs, expectedHead);
  }

  private synchronized Future<Void> store(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    ThreadData data = threads.computeIfAbsent(checkpoint.threadId(), t -> new ThreadData());
    String head = data.checkpoints.isEmpty() ? null : data.checkpoints.lastKey();
    if (!ThreadTakenOverException.allows(checkpoint, expectedHead, head)) {
      return Future.failedFuture(new ThreadTakenOverException(describe(), checkpoint, expectedHead, head));
    }
    data.checkpoints.put(checkpoint.checkpointId(), checkpoint);
    for (BlobRecord blob : blobs) {
      data.blobs.put(new BlobKey(blob.channel(), blob.version()), blob);
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<List<String>> doIdleThreads(String floorId, int limit) {
    List<String> idle = new java.util.ArrayList<>();
    for (Map.Entry<String, ThreadData> thread : threads.entrySet()) {
      if (idle.size() == limit) {
        break;
      }
      if (!thread.getValue().checkpoints.isEmpty() && !ttls.containsKey(thread.getKey()) && BYTEWISE.compare(thread.getValue().checkpoints.lastKey(),
          floorId) < 0) {
        idle.add(thread.getKey());
      }
    }
    return Future.succeededFuture(idle);
  }

  @Override
  Future<Void> doPutWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    try {
      writes.forEach(CheckpointRows::write);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(failure("put of pending writes at checkpoint " + checkpointId + " of thread '"
          + threadId + "'", threadId, e));
    }
    return storeWrites(threadId, checkpointId, writes);
  }

  private synchronized Future<Void> storeWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    TreeMap<WriteRecord, WriteRecord> stored = threads.computeIfAbsent(threadId, t -> new ThreadData())
        .writes.computeIfAbsent(checkpointId, c -> new TreeMap<>(WRITE_ORDER));
    for (WriteRecord write : writes) {
      if (write.index() < 0) {
        stored.remove(write); // a special write (error, interrupt, resume) replaces the task's earlier one
        stored.put(write, write);
      } else {
        stored.putIfAbsent(write, write);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<CheckpointRecord> doLatest(String threadId) {
    ThreadData data = threads.get(threadId);
    Map.Entry<String, CheckpointRecord> last = data == null ? null : data.checkpoints.lastEntry();
    return Future.succeededFuture(last == null ? null : last.getValue());
  }

  @Override
  synchronized Future<CheckpointRecord> doGet(String threadId, String checkpointId) {
    ThreadData data = threads.get(threadId);
    return Future.succeededFuture(data == null ? null : data.checkpoints.get(checkpointId));
  }

  @Override
  synchronized Future<List<CheckpointRecord>> doChildren(String threadId, String parentId) {
    ThreadData data = threads.get(threadId);
    List<CheckpointRecord> out = new ArrayList<>();
    if (data != null) {
      for (CheckpointRecord record : data.checkpoints.tailMap(parentId, false).values()) {
        if (parentId.equals(record.parentId())) {
          out.add(record);
        }
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  synchronized Future<List<CheckpointRecord>> doList(String threadId, int limit, String before) {
    ThreadData data = threads.get(threadId);
    List<CheckpointRecord> out = new ArrayList<>();
    if (data != null) {
      NavigableMap<String, CheckpointRecord> older = before == null ? data.checkpoints
          : data.checkpoints.headMap(before, false);
      for (CheckpointRecord record : older.descendingMap().values()) {
        if (out.size() >= limit) {
          break;
        }
        out.add(record);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  synchronized Future<List<BlobRecord>> doChain(String threadId, String channel, String version) {
    ThreadData data = threads.get(threadId);
    List<BlobRecord> chain = new ArrayList<>();
    BlobRecord blob = data == null ? null : data.blobs.get(new BlobKey(channel, version));
    while (blob != null) {
      chain.add(blob);
      blob = blob.kind() == BlobRecord.Kind.FULL ? null : data.blobs.get(new BlobKey(channel, blob.prevVersion()));
    }
    return Future.succeededFuture(chain);
  }

  @Override
  synchronized Future<List<WriteRecord>> doWrites(String threadId, String checkpointId) {
    ThreadData data = threads.get(threadId);
    TreeMap<WriteRecord, WriteRecord> writes = data == null ? null : data.writes.get(checkpointId);
    return Future.succeededFuture(writes == null ? List.of() : List.copyOf(writes.values()));
  }

  @Override
  synchronized Future<Void> doDeleteThread(String threadId) {
    threads.remove(threadId);
    ttls.remove(threadId);
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<Void> doSetTtl(String threadId, TtlRow row) {
    if (row == null) {
      ttls.remove(threadId);
    } else {
      ttls.put(threadId, row);
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<TtlRow> doTtl(String threadId) {
    return Future.succeededFuture(ttls.get(threadId));
  }

  @Override
  synchronized Future<List<TtlRow>> doTtlCandidates(long nowMs, int limit) {
    List<TtlRow> due = new ArrayList<>();
    for (TtlRow row : ttls.values()) {
      if (row.expiresMs() <= nowMs) {
        ThreadData data = threads.get(row.threadId());
        due.add(new TtlRow(row.threadId(), row.strategy(), row.ttlMs(), row.expiresMs(),
            data == null || data.checkpoints.isEmpty() ? null : data.checkpoints.lastKey()));
      }
    }
    due.sort(Comparator.comparingLong(TtlRow::expiresMs));
    return Future.succeededFuture(due.size() > limit ? new ArrayList<>(due.subList(0, limit)) : due);
  }

  @Override
  synchronized Future<Void> doMoveTtlDeadlines(List<TtlRow> rows) {
    for (TtlRow row : rows) {
      TtlRow stored = ttls.get(row.threadId());
      if (stored != null) {
        ttls.put(row.threadId(), new TtlRow(row.threadId(), stored.strategy(), stored.ttlMs(), row.expiresMs(), null));
      }
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<Void> doDeleteCheckpoints(String threadId, List<String> checkpointIds) {
    ThreadData data = threads.get(threadId);
    if (data != null) {
      for (String id : checkpointIds) {
        data.checkpoints.remove(id);
        data.writes.remove(id);
        data.blobs.keySet().removeIf(key -> key.version().equals(id));
      }
      if (data.checkpoints.isEmpty()) {
        threads.remove(threadId);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<Void> doPrune(String threadId, List<String> checkpointIds,
                                    List<CheckpointPruning.BlobKey> blobs) {
    ThreadData data = threads.get(threadId);
    if (data != null) {
      for (String id : checkpointIds) {
        data.checkpoints.remove(id);
        data.writes.remove(id);
      }
      for (CheckpointPruning.BlobKey blob : blobs) {
        data.blobs.remove(new BlobKey(blob.channel(), blob.version()));
      }
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<List<String>> doThreadsWithMoreCheckpointsThan(int keepLatest, int limit) {
    List<String> over = new java.util.ArrayList<>();
    for (Map.Entry<String, ThreadData> thread : threads.entrySet()) {
      if (over.size() == limit) {
        break;
      }
      if (thread.getValue().checkpoints.size() > keepLatest) {
        over.add(thread.getKey());
      }
    }
    return Future.succeededFuture(over);
  }

  @Override
  synchronized Future<Long> doStoredBytes(String threadId) {
    ThreadData data = threads.get(threadId);
    long bytes = 0;
    if (data != null) {
      for (CheckpointRecord record : data.checkpoints.values()) {
        bytes += CheckpointRows.textBytes(CheckpointRows.checkpoint(record));
      }
      for (BlobRecord blob : data.blobs.values()) {
        bytes += CheckpointRows.textBytes(CheckpointRows.blob(blob));
      }
      for (TreeMap<WriteRecord, WriteRecord> writes : data.writes.values()) {
        for (WriteRecord write : writes.values()) {
          bytes += CheckpointRows.textBytes(CheckpointRows.write(write));
        }
      }
    }
    return Future.succeededFuture(bytes);
  }

  @Override
  synchronized Future<Void> doClose() {
    threads.clear();
    return Future.succeededFuture();
  }

  @Override
  public String describe() {
    return "Memory checkpoint store";
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
