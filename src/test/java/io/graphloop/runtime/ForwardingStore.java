package io.graphloop.runtime;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.checkpoint.WriteRecord;
import io.vertx.core.Future;

import java.util.List;

/**
 * A memory store behind a {@link CheckpointStore} that forwards every operation to it: tests override the ones they
 * change (a slow or a failing put). Thread-safe as the memory store is.
 */
abstract class ForwardingStore implements CheckpointStore {
  final MemoryCheckpointStore delegate = new MemoryCheckpointStore();

  @Override
  public Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    return delegate.put(checkpoint, blobs, expectedHead);
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
  public Future<List<CheckpointRecord>> children(String threadId, String parentId) {
    return delegate.children(threadId, parentId);
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
    return delegate.describe();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
