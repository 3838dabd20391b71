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

  /** The thread the child run of subgraph task {@code task} (id {@code taskId}) of a run on {@code threadId} uses. */
  static String childThread(String threadId, Task task, String taskId) {
    return threadId + SEPARATOR + namespace(task.node(), taskId);
  }

  /**
   * The thread the child run of subgraph task {@code task} of a run on {@code threadId} checkpoints under, by the
   * subgraph's persistence: per invocation, the task's own namespace ({@link #childThread(String, Task, String)}); stateful,
   * the root thread then LangGraph's {@code recast_checkpoint_ns} of the run's namespace and the node (every task id
   * left out, so each invocation finds the same thread); {@code null} for a subgraph without checkpoints.
   */
  static String childThread(String threadId, Task task, String taskId,
                            io.graphloop.graph.Subgraph.Persistence persistence) {
    switch (persistence) {
      case NONE:
        return null;
      case STATEFUL:
        return statefulThread(threadId, task.node());
      default:
        return childThread(threadId, task, taskId);
    }
  }

  /** The thread of stateful subgraph node {@code node} of a run on {@code threadId}. */
  static String statefulThread(String threadId, String node) {
    int child = threadId.indexOf(SEPARATOR);
    String root = child < 0 ? threadId : threadId.substring(0, child);
    return root + SEPARATOR + io.graphloop.graph.InterruptIds.child(recast(namespaceOf(threadId)), node);
  }

  /**
   * LangGraph's {@code recast_checkpoint_ns}: {@code namespace} without task ids ({@code "a:uuid|b:uuid"} is
   * {@code "a|b"}) and without numeric levels.
   */
  static String recast(String namespace) {
    if (namespace.isEmpty()) {
      return namespace;
    }
    StringBuilder out = new StringBuilder();
    for (String part : namespace.split(java.util.regex.Pattern.quote(SEPARATOR))) {
      if (part.isEmpty() || part.chars().allMatch(Character::isDigit)) {
        continue;
      }
      int end = part.indexOf(':');
      if (out.length() > 0) {
        out.append(SEPARATOR);
      }
      out.append(end < 0 ? part : part.substring(0, end));
    }
    return out.toString();
  }

  /**
   * Whether {@code threadId} is the thread of a per-invocation subgraph's child run: a child thread whose namespace
   * has a task id in some level (LangGraph's {@code NS_END} in a part of {@code checkpoint_ns}); a stateful child's
   * namespace has none ({@link #recast}).
   */
  static boolean isPerInvocationChild(String threadId) {
    String namespace = namespaceOf(threadId);
    return !namespace.isEmpty() && TASK_LEVEL.matcher(namespace).find();
  }

  /** A level of a namespace with a task id: {@code node:uuid} (a user's thread id that merely has a ':' is not). */
  private static final java.util.regex.Pattern TASK_LEVEL = java.util.regex.Pattern.compile(
      "(^|\\|)[^|]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}($|\\|)");

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

  /**
   * LangGraph's {@code task.state} of subgraph task {@code taskId} of {@code node} in a run on {@code threadId} when
   * the child's state is not asked for: the child's config {@code {"configurable": {"thread_id", "checkpoint_ns"}}}
   * (the root thread and the task's full namespace), where a client finds the child's checkpoints.
   */
  static java.util.Map<String, Object> childConfig(String threadId, String node, String taskId) {
    int child = threadId.indexOf(SEPARATOR);
    java.util.Map<String, Object> configurable = new java.util.LinkedHashMap<>();
    configurable.put("thread_id", child < 0 ? threadId : threadId.substring(0, child));
    configurable.put("checkpoint_ns", taskNamespace(threadId, node, taskId));
    return java.util.Collections.singletonMap("configurable", configurable);
  }

  /** The id of the interrupts of that task (LangGraph's: the digest of its full checkpoint namespace). */
  static String interruptId(String threadId, String node, String taskId) {
    return io.graphloop.graph.InterruptIds.of(taskNamespace(threadId, node, taskId));
  }

  /** The root thread of {@code threadId} (itself unless it is a subgraph's child thread), or {@code null}. */
  static String rootThread(String threadId) {
    int child = threadId == null ? -1 : threadId.indexOf(SEPARATOR);
    return child < 0 ? threadId : threadId.substring(0, child);
  }

  /** The namespace part of a child thread (what follows its parent's thread and the separator). */
  static String localNamespace(String parentThread, String childThread) {
    return childThread.substring(parentThread.length() + SEPARATOR.length());
  }
}
