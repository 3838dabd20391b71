package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.WriteRecord;
import io.graphloop.internal.engine.Restore;
import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Superstep;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.engine.TaskResult;
import io.graphloop.internal.engine.WriteApplier;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.ThreadState;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a loaded {@link Checkpoint} into the {@link ThreadState} clients see (LangGraph's {@code StateSnapshot}):
 * the record's fields, the values, the nodes due next, and for each task due what its stored writes say: completed
 * (its {@code result}), failed ({@code error}) or interrupted ({@code interrupts}, also listed at the top with the
 * node and task id, as a run's result lists them).
 *
 * <p>As LangGraph's {@code get_state}, the thread's current state (asked for without a checkpoint id) shows where
 * the thread stands now: the writes of tasks that already completed in the unfinished step are applied to the
 * values (as the step will apply them, in task order), and those tasks are left out of {@code next}, since
 * continuing the thread does not run them again. A state asked for by checkpoint id, and every entry of a history,
 * shows the checkpoint as saved: its values, and every task that was due. Tasks are listed as LangGraph lists them:
 * Send tasks first, then the edge-triggered ones ({@link #listingOrder}).
 *
 * <p>Stateless; safe from any thread.
 */
final class ThreadStates {

  private ThreadStates() {
  }

  /**
   * The state {@code checkpoint} stands for.
   *
   * @param current whether it is the thread's current state (completed tasks applied, see the class comment)
   */
  static ThreadState of(CompiledGraph graph, Checkpoint checkpoint, boolean current) {
    return of(graph, checkpoint, current, List.of());
  }

  /**
   * The state {@code checkpoint} stands for, with the results its children keep for its tasks ({@code results}: by
   * position in its next tasks, {@code null} for none, from {@link StepResults}) shown for the tasks its pending
   * writes do not show completed.
   *
   * @param current whether it is the thread's current state (completed tasks applied, see the class comment)
   */
  static ThreadState of(CompiledGraph graph, Checkpoint checkpoint, boolean current, List<Object> results) {
    CheckpointRecord record = checkpoint.record();
    List<TaskResult> completed = new ArrayList<>();
    Map<String, Map<String, Object>> byTask = new LinkedHashMap<>();
    for (WriteRecord write : checkpoint.pendingWrites()) {
      byTask.computeIfAbsent(write.taskId(), id -> new LinkedHashMap<>()).put(write.channel(), write.value());
    }
    List<String> next = new ArrayList<>();
    List<Map<String, Object>> tasks = new ArrayList<>();
    List<Map<String, Object>> interrupts = new ArrayList<>();
    TaskResult[] completedAt = new TaskResult[record.nextTasks().size()];
    for (int position : listingOrder(graph, record.nextTasks())) {
      Map<String, Object> due = record.nextTasks().get(position);
      Object kept = position < results.size() ? results.get(position) : null;
      String id = String.valueOf(due.get("id"));
      String node = String.valueOf(due.get("node"));
      Map<String, Object> writes = byTask.getOrDefault(id, Map.of());
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("id", id);
      task.put("node", node);
      List<Object> asked = new ArrayList<>();
      if (writes.containsKey(WriteRecord.INTERRUPT)) {
        List<Map<String, Object>> nested = RunEnd.nested(graph, node, writes.get(WriteRecord.INTERRUPT));
        if (nested != null) { // a subgraph task waits for its child's interrupts
          nested.forEach(interrupt -> {
            if (isBreakpoint(interrupt)) {
              return; // a child stopped at a static breakpoint: no interrupt to answer, as LangGraph's state shows
            }
            asked.add(interrupt.get("value"));
            interrupts.add(interrupt);
          });
        } else {
          asked.add(writes.get(WriteRecord.INTERRUPT));
          interrupts.add(RunEnd.interrupt(checkpoint.threadId(), node, id, writes.get(WriteRecord.INTERRUPT)));
        }
      }
      task.put("interrupts", asked);
      // the task's checkpoint namespace: where a subgraph's child checkpoints, and what its interrupt id digests
      task.put("checkpointNs", SubgraphThreads.namespace(node, id));
      io.graphloop.graph.NodeDefinition definition = graph.node(node); // null for START
      if (definition != null && definition.isCheckpointedSubgraph()) {
        task.put("subgraph", true); // its child checkpoints there: LangGraph's task.state names that namespace
      }
      if (writes.containsKey(RunCheckpoints.COMPLETED)) {
        Map<String, Object> result = resultOf(writes);
        task.put("result", result);
        int index = graph.indexOf(node);
        if (index >= 0 && index != graph.startIndex()) {
          completedAt[position] = new TaskResult(new Task(node, index, record.step() + 1, checkpoint.state()), result);
        }
      } else if (kept != null) { // kept by the checkpoint the step saved (LangGraph: its pending writes)
        task.put("result", Boolean.TRUE.equals(kept) ? due.get("input") : kept);
      }
      if (!current || !writes.containsKey(RunCheckpoints.COMPLETED)) {
        next.add(node);
      }
      if (writes.containsKey(WriteRecord.ERROR)) {
        task.put("error", writes.get(WriteRecord.ERROR));
      }
      tasks.add(task);
    }
    for (TaskResult result : completedAt) { // applied in task order (edge-triggered tasks first), as the step will
      if (result != null) {
        completed.add(result);
      }
    }
    State values = checkpoint.state();
    if (current && !completed.isEmpty()) {
      try {
        values = WriteApplier.apply(graph, "state-of-" + record.threadId(), values, completed, record.step() + 1);
      } catch (GraphloopException e) {
        // writes that break a channel's rule will fail the step when it completes; show the values as saved
      }
    }
    if (current && next.isEmpty() && !record.nextTasks().isEmpty()) {
      next = dueAfter(graph, checkpoint, byTask); // every task completed, the step's checkpoint not yet saved
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", record.source().json()); // LangGraph's metadata keys first
    metadata.put("step", record.step());
    metadata.put("parents", Map.of());
    metadata.putAll(record.metadata());
    return new ThreadState(record.threadId(), record.checkpointId(), record.parentId(), record.step(),
        record.createdAt(), record.source(), metadata, values, next, tasks, interrupts);
  }

  /**
   * What is due once a step whose tasks all completed is applied (issue 11 item 14: after a crash between the
   * tasks' stored writes and the step's checkpoint, the thread is not finished, and a resume runs these next):
   * the step's writes, Commands and Sends, planned as the run will plan them. LangGraph 1.2.12 shows an empty
   * {@code next} there (see src/docs/LANGGRAPH-DIFFERENCES.md).
   */
  private static List<String> dueAfter(CompiledGraph graph, Checkpoint checkpoint,
                                       Map<String, Map<String, Object>> byTask) {
    CheckpointRecord record = checkpoint.record();
    try {
      RunState step = Restore.runState(graph, checkpoint.state(), record.step() + 1, record.nextTasks(),
          record.joins());
      List<TaskResult> results = new ArrayList<>();
      for (int i = 0; i < step.tasks().size(); i++) {
        String id = String.valueOf(record.nextTasks().get(i).get("id"));
        results.add(ThreadRuns.replyOf(byTask.getOrDefault(id, Map.of())).toResult(step.tasks().get(i)));
      }
      RunState after = Superstep.advance(graph, "state-of-" + record.threadId(), step, results);
      List<String> due = new ArrayList<>();
      after.tasks().stream().filter(Task::isPush).forEach(task -> due.add(task.node()));
      after.tasks().stream().filter(task -> !task.isPush()).forEach(task -> due.add(task.node()));
      return due;
    } catch (RuntimeException e) {
      return List.of(); // writes that break a channel's rule fail the step when it is resumed
    }
  }

  /**
   * The positions of {@code nextTasks} in the order a state lists them, LangGraph's ({@code prepare_next_tasks}):
   * Send (push) tasks first, in the order they were produced, then the others in their order. The writes are still
   * applied in task order, edge-triggered tasks first.
   */
  static int[] listingOrder(CompiledGraph graph, List<Map<String, Object>> nextTasks) {
    int[] order = new int[nextTasks.size()];
    int at = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < nextTasks.size(); i++) {
        Map<String, Object> due = nextTasks.get(i);
        boolean push = due.get("input") instanceof Map && graph.indexOf(String.valueOf(due.get("node")))
            != graph.startIndex();
        if (push == (pass == 0)) {
          order[at++] = i;
        }
      }
    }
    return order;
  }

  /**
   * Whether a child's interrupt entry is a static breakpoint ({@code {"node", "when"}}, see {@code RunEnd}) rather
   * than an {@code interrupt(value)}: LangGraph lists no interrupt for a subgraph stopped at a breakpoint (its parent
   * stops all the same, and a run without input continues it).
   */
  static boolean isBreakpoint(Map<String, Object> interrupt) {
    return interrupt.containsKey("when") && !interrupt.containsKey("value");
  }

  /** A completed task's update: its channel writes, without the markers. */
  private static Map<String, Object> resultOf(Map<String, Object> writes) {
    Map<String, Object> result = new LinkedHashMap<>();
    writes.forEach((channel, value) -> {
      if (!channel.equals(RunCheckpoints.COMPLETED) && !channel.equals(RunCheckpoints.GOTO)
          && !channel.equals(RunCheckpoints.SENDS) && WriteRecord.specialIndex(channel) == null) {
        result.put(channel, value);
      }
    });
    return result;
  }
}
