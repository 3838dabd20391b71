package io.graphloop.runtime;

import io.graphloop.internal.engine.Task;


/**
 * Where a subgraph's checkpoints live (LangGraph's {@code checkpoint_ns}). A subgraph node of a run on a thread runs
 * its child graph on a thread of its own under the parent's: {@code <parent thread>|<node>:<task uuid>}, where
 * {@code <node>:<task uuid>} is the task's checkpoint namespace, in LangGraph's {@code "node:task_id"} form. The uuid
 * is derived from the parent task's id, which is the same when the parent's step is resumed, so a resumed subgraph
 * finds its checkpoints again; a nested subgraph adds its own {@code |<node>:<uuid>} (LangGraph's separator).
 *
 * <p>Stateless; safe from any thread.
 */
final class SubgraphThreads {

  /** LangGraph's separator between the levels of a checkpoint namespace. */
  static final String SEPARATOR = "|";

  private SubgraphThreads() {
  }

  /** The thread the child run of subgraph task {@code task} of a run on {@code threadId} checkpoints under. */
  static String childThread(String threadId, Task task) {
    return threadId + SEPARATOR + namespace(task.node(), task.id(threadId));
  }

  /** The checkpoint namespace of a subgraph task: {@code node:uuid} with the uuid derived from its task id. */
  static String namespace(String node, String taskId) {
    return io.graphloop.graph.InterruptIds.taskNamespace(node, taskId);
  }

  /**
   * The checkpoint namespace a run on {@code threadId} runs in: what follows the root thread in a child thread's id
   * ({@code node:uuid}, nested levels joined by {@link #SEPARATOR}); empty for a root thread or no thread.
   */
  static String namespaceOf(String threadId) {
    int child = threadId == null ? -1 : threadId.indexOf(SEPARATOR);
    return child < 0 ? "" : threadId.substring(child + SEPARATOR.length());
  }

  /**
   * The full checkpoint namespace of task {@code taskId} of {@code node} in a run on {@code threadId} ({@code null}:
   * none): the run's namespace, then the task's {@code node:uuid}.
   */
  static String taskNamespace(String threadId, String node, String taskId) {
    return io.graphloop.graph.InterruptIds.child(namespaceOf(threadId), namespace(node, taskId));
  }

  /** The id of the interrupts of that task (LangGraph's: the digest of its full checkpoint namespace). */
  static String interruptId(String threadId, String node, String taskId) {
    return io.graphloop.graph.InterruptIds.of(taskNamespace(threadId, node, taskId));
  }

  /** The namespace part of a child thread (what follows its parent's thread and the separator). */
  static String localNamespace(String parentThread, String childThread) {
    return childThread.substring(parentThread.length() + SEPARATOR.length());
  }
}
