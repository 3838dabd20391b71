package io.graphloop.graph;

/**
 * What a node attempt knows of its execution (LangGraph 1.2.12's {@code runtime.execution_info}), read with
 * {@link NodeContext#executionInfo()}. The identity fields come with the node's request, so a node on another JVM of
 * a cluster reads the same values as one in the coordinator's JVM.
 *
 * @param checkpointId           the id of the checkpoint the task's step started from (LangGraph's: the checkpoint
 *                               before the step); {@code null} for a run without a thread (no checkpoints)
 * @param checkpointNs           the task's checkpoint namespace, LangGraph's {@code node:task_id} form under its run's
 *                               namespace ({@code outer:<uuid>|inner:<uuid>} for a node of a subgraph on a thread);
 *                               the same value as {@link NodeContext#checkpointNs()}
 * @param taskId                 the task's id: the uuid of its namespace's last level, the same on every attempt and
 *                               when the step is resumed
 * @param threadId               the run's thread (a subgraph's node sees its root thread, as in LangGraph), or
 *                               {@code null} without one
 * @param runId                  the run's id (Graphloop always has one; LangGraph's is {@code None} unless given)
 * @param nodeAttempt            the attempt, from 1
 * @param nodeFirstAttemptAtMs   when the task's first attempt started (epoch milliseconds; LangGraph's
 *                               {@code node_first_attempt_time} in seconds), the same on every retry; 0 when unknown
 *                               (a request from a Graphloop that did not send it)
 *
 * <p>Immutable; thread-safe.
 */
public record ExecutionInfo(String checkpointId, String checkpointNs, String taskId, String threadId, String runId,
                            int nodeAttempt, long nodeFirstAttemptAtMs) {
}
