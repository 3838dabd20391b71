package io.graphloop.runtime;

import io.graphloop.errors.GraphloopException;
import io.graphloop.internal.engine.Task;
import io.graphloop.protocol.NodeReply;
import io.vertx.core.Completable;

import java.util.List;

/**
 * How a {@link RunDriver} reaches nodes: sends a task's attempts to its node and hears their replies; implemented by
 * the coordinator ({@link NodeTransport}).
 *
 * <p>Thread rules: called on the run's coordinator event loop only; {@link Attempt}s are confined there too.
 */
interface NodeDispatcher {
  /**
   * Sends one attempt of {@code task} to its node; {@code done} hears its reply or failure once, on this loop,
   * unless the attempt is {@link #abandon abandoned}. Returns the attempt's wait, for {@link #abandon}.
   */
  long execute(String runId, RunDriver.Limits run, Task task, int attempt, int maxAttempts, List<Object> resume,
               int remainingSteps, Attempt done);

  /** Stops waiting for attempt {@code wait} (its run ended): {@code done} is dropped, not called. */
  void abandon(long wait);

  /**
   * What attempt {@code done} of {@code task} failed with, as the run sees it; when it failed in transport (no
   * answer in time, no listener, a connection or handshake refused) at a member the dispatcher picked, that
   * member is recorded in {@code done} so that the task's next attempts go elsewhere while another member hosts
   * the node.
   */
  GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause,
                               Attempt done);

  void onRetry(Task task);

  /** Attempt {@code done} was answered with the node's result (its failures go to {@link #failureOf}). */
  default void answered(Attempt done) {
  }

  /**
   * One attempt of a task as its dispatcher sees it: it hears the attempt's reply, and it carries the cluster
   * members the task's earlier attempts failed at in transport (handed from each attempt to the next by the step)
   * and the member this attempt was sent to. Confined to the coordinator's event loop.
   */
  interface Attempt extends Completable<NodeReply> {
    /** Records the member this attempt was sent to ({@code null}: none in particular, e.g. an instance in this JVM). */
    void sentTo(String member);

    /** The member this attempt was sent to, or {@code null}. */
    String sentTo();

    /** Adds {@code member} to the members the task's next attempts avoid. */
    void avoid(String member);

    /** The members the task's attempts avoid: the first {@link #avoidedCount()} entries (may be {@code null}). */
    String[] avoided();

    int avoidedCount();

    /** When the task's first attempt was sent (epoch ms), the same for each of its attempts. */
    long firstAttemptAtMs();

    /** The id of the checkpoint the task was planned from, or {@code null} (a run without checkpoints). */
    String checkpointId();

    /** The task's id ({@link TaskIds}: derived from the checkpoint its step was planned from). */
    String taskId();
  }
}
