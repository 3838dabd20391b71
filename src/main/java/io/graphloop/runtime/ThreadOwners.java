package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.internal.bus.Owners;

import java.util.Objects;

/**
 * The owner rule of threads (see {@link Owners}): a checkpoint records its thread's owner in its metadata, and a
 * request sees the thread only when it acts for the same owner (or, for an unowned thread, for none).
 *
 * <p>Stateless.
 */
final class ThreadOwners {

  private ThreadOwners() {
  }

  /** Whether a request acting for {@code owner} ({@code null}: none) may see the checkpoint's thread. */
  static boolean owns(CheckpointRecord record, String owner) {
    return Objects.equals(record.metadata().get(Owners.METADATA_KEY), owner);
  }

  /**
   * The failure of a run on a thread that another owner holds: 404, as for a thread that does not exist (the run
   * cannot use the id, which is taken; the message does not say by whom).
   */
  static GraphloopException notFound(String graph, String threadId, String owner, String runId) {
    return new GraphloopException(FailureCode.UNKNOWN_TARGET, "Thread '" + threadId + "' of graph '" + graph
        + "' was not found for " + (owner == null ? "a caller without an owner" : "owner '" + owner + "'")
        + "; a thread belongs to the owner it was first used with (the " + Owners.HEADER + " header): use a thread id "
        + "of your own.", graph, runId, null, null, null);
  }
}
