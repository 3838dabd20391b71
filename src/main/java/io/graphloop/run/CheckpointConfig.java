package io.graphloop.run;

import io.graphloop.state.Values;

/**
 * Where a thread state is read or written: LangGraph's checkpoint config {@code {thread_id, checkpoint_ns,
 * checkpoint_id}}. With an empty {@code checkpointNs} it names the thread's own (root) graph; with a subgraph's
 * namespace (a child state's {@code metadata.checkpointNs}, e.g. {@code "node:<uuid>"}, nested levels joined by
 * {@code "|"}, or {@code "node"} for a stateful subgraph) it names that child's own checkpoints under the thread, as
 * LangGraph's {@code get_state}, {@code get_state_history} and {@code update_state} read and write the child's
 * namespace when the config's {@code checkpoint_ns} names it. Get one from a state with {@link ThreadState#config()}
 * or {@link ThreadState#taskConfig(int)}.
 *
 * <p>Immutable.
 *
 * @param threadId     the thread (the root thread the user named), not blank
 * @param checkpointNs the checkpoint namespace, {@code ""} for the root graph ({@code null} is read as {@code ""})
 * @param checkpointId a checkpoint in that namespace, or {@code null} for its latest
 */
public record CheckpointConfig(String threadId, String checkpointNs, String checkpointId) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException for a blank thread id or a blank checkpoint id
   */
  public CheckpointConfig {
    if (threadId == null || threadId.isBlank()) {
      throw new IllegalArgumentException("A checkpoint config needs a thread id (a non-blank string)");
    }
    Values.requireValidText(threadId, "the checkpoint config's thread id");
    checkpointNs = checkpointNs == null ? "" : checkpointNs;
    if (checkpointId != null && checkpointId.isBlank()) {
      throw new IllegalArgumentException("The checkpoint config's checkpoint id must not be blank (null: the latest)");
    }
  }

  /** The latest checkpoint of thread {@code threadId}'s root graph. */
  public static CheckpointConfig of(String threadId) {
    return new CheckpointConfig(threadId, "", null);
  }

  /** Whether it names a subgraph's namespace (not the root graph's). */
  public boolean isSubgraph() {
    return !checkpointNs.isEmpty();
  }
}
