package io.graphloop.runtime;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointRecord;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory store that stores the first {@code allowed} checkpoints and refuses every later one (a crash), while
 * task writes are still stored. Thread-safe as the memory store is.
 */
final class CrashingStore extends ForwardingStore {
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
  public String describe() {
    return "crashing " + delegate.describe();
  }
}
