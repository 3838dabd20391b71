package io.graphloop.checkpoint;

import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One save (a checkpoint with its blobs, or one task's pending writes) waiting in a store's group-commit queue
 * for the batch that will commit it, and then its outcome.
 *
 * <p>Thread rules: created and {@link #encode encoded} by the caller's thread before it is queued (the queue's
 * hand-over publishes the rows to the committing thread), written by the store's committing thread
 * ({@link #succeed}, {@link #fail}); the outcome fields are volatile, so a thread that sees {@link #isDone()} sees
 * the outcome; the caller's promise is completed on the caller's context ({@link #deliver}).
 */
final class PendingSave {

  final String threadId;
  /** The checkpoint id of pending writes ({@code null} for a put), for {@link #operation()}. */
  private final String writesCheckpointId;
  /** The checkpoint of a put, or {@code null} for pending writes. */
  final CheckpointRecord checkpoint;
  final List<BlobRecord> blobs;
  /** The pending writes, or {@code null} for a put. */
  final List<WriteRecord> writes;
  /** The head a put expects its thread to have (fencing), {@code null} for none; unused for writes. */
  final String expectedHead;

  /** The checkpoint's row ({@link CheckpointRows#checkpoint}), once {@link #encode encoded}; {@code null} for writes. */
  Object[] checkpointRow;
  /** The blobs' rows, once encoded. */
  List<Object[]> blobRows = List.of();
  /** The pending writes' rows, once encoded. */
  List<Object[]> writeRows = List.of();

  private volatile boolean done;
  private volatile Throwable failure;
  /** The caller's context, where the outcome is delivered; set before the save is queued. */
  ContextInternal context;
  /** The caller's promise (of {@link #context}); completed by {@link #deliver}. */
  Promise<Void> promise;

  private PendingSave(String writesCheckpointId, String threadId, CheckpointRecord checkpoint, List<BlobRecord> blobs,
      List<WriteRecord> writes, String expectedHead) {
    this.writesCheckpointId = writesCheckpointId;
    this.expectedHead = expectedHead;
    this.threadId = threadId;
    this.checkpoint = checkpoint;
    this.blobs = blobs;
    this.writes = writes;
  }

  static PendingSave put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    return new PendingSave(null, checkpoint.threadId(), checkpoint, blobs, null, expectedHead);
  }

  static PendingSave writes(String threadId, String checkpointId, List<WriteRecord> writes) {
    return new PendingSave(checkpointId, threadId, null, List.of(), writes, null);
  }

  /**
   * What the save is, for error messages, e.g. {@code put of checkpoint x of thread 't'}; made when asked (a failure),
   * not for every save.
   */
  String operation() {
    return isPut() ? "put of checkpoint " + checkpoint.checkpointId() + " of thread '" + threadId + "'"
        : "put of pending writes at checkpoint " + writesCheckpointId + " of thread '" + threadId + "'";
  }

  /**
   * Encodes the rows to write (JSON of the values), on the caller's thread, so the store's committing thread only
   * binds them.
   *
   * @return this
   * @throws RuntimeException when a value cannot be encoded (the store reports it as this save's failure)
   */
  PendingSave encode() {
    if (isPut()) {
      checkpointRow = CheckpointRows.checkpoint(checkpoint);
      List<Object[]> rows = new java.util.ArrayList<>(blobs.size());
      for (BlobRecord blob : blobs) {
        rows.add(CheckpointRows.blob(blob));
      }
      blobRows = rows;
    } else {
      List<Object[]> rows = new java.util.ArrayList<>(writes.size());
      for (WriteRecord write : writes) {
        rows.add(CheckpointRows.write(write));
      }
      writeRows = rows;
    }
    return this;
  }

  /** Whether the put is fenced (every put but a fork's): stored only if its thread's head allows it. */
  boolean isFenced() {
    return isPut() && checkpoint.source() != CheckpointSource.FORK;
  }

  boolean isPut() {
    return checkpoint != null;
  }

  boolean isDone() {
    return done;
  }

  /** The failure, or {@code null} when the save is durable (or not done yet). */
  Throwable failure() {
    return failure;
  }

  void succeed() {
    done = true;
  }

  void fail(Throwable cause) {
    failure = cause;
    done = true;
  }

  /**
   * Delivers the outcomes of {@code saves} (each done) to their callers: one task per caller's event loop (the root
   * of the saves' contexts), in which each save's promise is completed on its own context ({@code dispatch}), in the
   * batch's order; not one task per save.
   *
   * @return the number of tasks sent (one per event loop)
   */
  static int deliver(List<PendingSave> saves) {
    Map<ContextInternal, List<PendingSave>> byLoop = new IdentityHashMap<>(8);
    for (PendingSave save : saves) {
      byLoop.computeIfAbsent(save.context.unwrap(), loop -> new ArrayList<>()).add(save);
    }
    byLoop.forEach((loop, mine) -> loop.runOnContext(v -> {
      for (PendingSave save : mine) {
        save.context.dispatch(save, PendingSave::completePromise);
      }
    }));
    return byLoop.size();
  }

  private static void completePromise(PendingSave save) {
    Throwable cause = save.failure;
    if (cause == null) {
      save.promise.tryComplete();
    } else {
      save.promise.tryFail(cause);
    }
  }
}
