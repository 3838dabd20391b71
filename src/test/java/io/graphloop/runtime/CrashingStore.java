package io.graphloop.runtime;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.checkpoint.WriteRecord;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory store that stores the first {@code allowed} checkpoints and refuses every later one (a crash), while
 * task writes are still stored. Thread-safe as the memory store is.
 */
final class CrashingStore implements CheckpointStore {
  final MemoryCheckpointStore delegate = new MemoryCheckpointStore();
  final AtomicInteger allowed;

  CrashingStore(int allowed) {
    this.allowed = new AtomicInteger(allowed);
  }

  @Override
  public Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    return allowed.getAndDecrement() > 0 ? delegate.put(checkpoint, blobs, expectedHead)
        : Future.failedFuture(new IllegalStateException("the store went away (simulated crash)"));
  }

  @Override
  public Future<Void> putWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    return delegate.putWrites(threadId, checkpointId, writes);
  }

  @Override
  public Future<CheckpointRecord> latest(String threadId) {
    return delegate.latest(threadId);
  }

  @Override
  public Future<CheckpointRecord> get(String threadId, String checkpointId) {
    return delegate.get(threadId, checkpointId);
  }

  @Override
  public Future<List<CheckpointRecord>> list(String threadId, int limit, String before) {
    return delegate.list(threadId, limit, before);
  }

  @Override
  public Future<List<BlobRecord>> chain(String threadId, String channel, String version) {
    return delegate.chain(threadId, channel, version);
  }

  @Override
  public Future<List<WriteRecord>> writes(String threadId, String checkpointId) {
    return delegate.writes(threadId, checkpointId);
  }

  @Override
  public Future<Void> deleteThread(String threadId) {
    return delegate.deleteThread(threadId);
  }

  @Override
  public Future<Long> storedBytes(String threadId) {
    return delegate.storedBytes(threadId);
  }

  @Override
  public String describe() {
    return "crashing " + delegate.describe();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
