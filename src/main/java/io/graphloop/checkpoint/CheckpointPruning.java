package io.graphloop.checkpoint;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@link CheckpointStore#pruneCheckpoints} of one thread: reads the newest {@code keepLatest} checkpoints, walks
 * the blob chain of every channel version they name (a full value and the append deltas after it) into the set of
 * blobs to keep, then pages through the older checkpoints, {@link #PAGE} at a time, deleting each page's rows,
 * pending writes and the blobs they introduced that are not kept, in one transaction per page.
 *
 * <p>Thread rules: one instance per call; every step runs in the store's callbacks, one after another, never
 * blocking (the stores do their I/O off the event loop).
 */
final class CheckpointPruning {

  /** Checkpoints read and deleted per transaction. */
  static final int PAGE = 500;

  /** A blob of the thread: a channel at a version. */
  record BlobKey(String channel, String version) {
  }

  private final AbstractCheckpointStore store;
  private final String threadId;
  private final int keepLatest;
  private final Set<BlobKey> kept = new HashSet<>();
  private int deleted;

  CheckpointPruning(AbstractCheckpointStore store, String threadId, int keepLatest) {
    this.store = store;
    this.threadId = threadId;
    this.keepLatest = keepLatest;
  }

  static void checkKeep(int keepLatest) {
    if (keepLatest < 1) {
      throw new IllegalArgumentException("keepLatest must be at least 1 (the thread's newest checkpoint is always "
          + "kept; to remove a thread use deleteThread), got " + keepLatest);
    }
  }

  /** Prunes; the number of checkpoints deleted. */
  Future<Integer> run() {
    return store.doList(threadId, keepLatest, null).compose(newest -> {
      if (newest.size() < keepLatest) {
        return Future.succeededFuture(0);
      }
      return keep(versionsOf(newest), 0)
          .compose(v -> page(newest.get(newest.size() - 1).checkpointId()))
          .map(v -> deleted);
    });
  }

  /** Every (channel, version) the kept checkpoints name. */
  private static List<BlobKey> versionsOf(List<CheckpointRecord> records) {
    Set<BlobKey> versions = new java.util.LinkedHashSet<>();
    for (CheckpointRecord record : records) {
      for (Map.Entry<String, String> e : record.channelVersions().entrySet()) {
        versions.add(new BlobKey(e.getKey(), e.getValue()));
      }
    }
    return new ArrayList<>(versions);
  }

  /** Adds the chains of {@code versions} (from {@code from} on) to the kept blobs, one read at a time. */
  private Future<Void> keep(List<BlobKey> versions, int from) {
    for (int i = from; i < versions.size(); i++) {
      BlobKey version = versions.get(i);
      if (!kept.contains(version)) {
        int next = i + 1;
        return store.doChain(threadId, version.channel(), version.version()).compose(chain -> {
          for (BlobRecord blob : chain) {
            kept.add(new BlobKey(blob.channel(), blob.version()));
          }
          kept.add(version);
          return keep(versions, next);
        });
      }
    }
    return Future.succeededFuture();
  }

  /** Deletes the checkpoints older than {@code before}, a page at a time. */
  private Future<Void> page(String before) {
    return store.doList(threadId, PAGE, before).compose(older -> {
      if (older.isEmpty()) {
        return Future.succeededFuture();
      }
      List<String> ids = new ArrayList<>(older.size());
      List<BlobKey> blobs = new ArrayList<>();
      for (CheckpointRecord record : older) {
        ids.add(record.checkpointId());
        for (Map.Entry<String, String> e : record.channelVersions().entrySet()) {
          BlobKey blob = new BlobKey(e.getKey(), e.getValue());
          if (e.getValue().equals(record.checkpointId()) && !kept.contains(blob)) {
            blobs.add(blob);
          }
        }
      }
      return store.doPrune(threadId, ids, blobs).compose(v -> {
        deleted += ids.size();
        return older.size() < PAGE ? Future.succeededFuture() : page(ids.get(ids.size() - 1));
      });
    });
  }
}
