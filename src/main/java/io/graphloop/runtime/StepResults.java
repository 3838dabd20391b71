package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.WriteRecord;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of a checkpoint's tasks that its children keep. LangGraph shows every task's {@code result} in a
 * state or history entry, from the writes it stores per task under the checkpoint the step started from. Graphloop
 * stores a step's only task's result (and an update's, as a due node) in the checkpoint that step saved
 * ({@link CheckpointRecord#taskResults()}: one row per step, as before), so the entry of checkpoint {@code P} reads
 * them from {@code P}'s children: for each task, the oldest child that has its result (LangGraph keeps a task's
 * first writes). Pending writes stored under {@code P} itself (a step of several tasks) come first
 * ({@link ThreadStates}).
 *
 * <p>Stateless; safe from any thread; its futures complete on the store's context.
 */
final class StepResults {

  private StepResults() {
  }

  /**
   * The results {@code checkpoint}'s children keep for its tasks, by position in its next tasks: none (and no
   * store read) when each due task has a completed pending write.
   */
  static Future<List<Object>> of(CheckpointStore store, Checkpoint checkpoint) {
    if (resolved(checkpoint.record(), checkpoint.pendingWrites(), List.of())) {
      return Future.succeededFuture(List.of());
    }
    return store.children(checkpoint.threadId(), checkpoint.checkpointId())
        .map(children -> merged(checkpoint.record(), children));
  }

  /**
   * The results of the tasks of each checkpoint of a history page ({@code page}: newest first, as listed), by
   * checkpoint id. A page that starts at the thread's head ({@code fromHead}) holds every child of its checkpoints
   * (a child is newer than its parent): no store read. Otherwise a checkpoint whose children in the page leave a
   * due task without a result has its children read from the store.
   */
  static Future<Map<String, List<Object>>> ofPage(CheckpointStore store, List<Checkpoint> page, boolean fromHead) {
    Map<String, List<CheckpointRecord>> children = new HashMap<>();
    for (int i = page.size() - 1; i >= 0; i--) { // oldest first
      CheckpointRecord record = page.get(i).record();
      if (record.parentId() != null && !record.taskResults().isEmpty()) {
        children.computeIfAbsent(record.parentId(), id -> new ArrayList<>()).add(record);
      }
    }
    Map<String, List<Object>> results = new LinkedHashMap<>();
    Map<String, Future<List<CheckpointRecord>>> reads = new LinkedHashMap<>();
    for (Checkpoint checkpoint : page) {
      CheckpointRecord record = checkpoint.record();
      List<Object> inPage = merged(record, children.getOrDefault(record.checkpointId(), List.of()));
      results.put(record.checkpointId(), inPage);
      if (!fromHead && !resolved(record, checkpoint.pendingWrites(), inPage)) {
        reads.put(record.checkpointId(), store.children(record.threadId(), record.checkpointId()));
      }
    }
    if (reads.isEmpty()) {
      return Future.succeededFuture(results);
    }
    Map<String, CheckpointRecord> byId = new HashMap<>();
    page.forEach(checkpoint -> byId.put(checkpoint.checkpointId(), checkpoint.record()));
    return Future.all(new ArrayList<>(reads.values())).map(done -> { // read once all are in: no shared writes
      reads.forEach((id, read) -> results.put(id, merged(byId.get(id), read.result())));
      return results;
    });
  }

  /** For each of {@code parent}'s due tasks, the result the oldest of {@code children} (oldest first) keeps. */
  private static List<Object> merged(CheckpointRecord parent, List<CheckpointRecord> children) {
    int size = parent.nextTasks().size();
    if (children.isEmpty() || size == 0) {
      return List.of();
    }
    List<Object> results = new ArrayList<>(Collections.nCopies(size, null));
    for (CheckpointRecord child : children) {
      List<Object> kept = child.taskResults();
      for (int i = 0; i < Math.min(size, kept.size()); i++) {
        if (results.get(i) == null) {
          results.set(i, kept.get(i));
        }
      }
    }
    return results;
  }

  /** Whether every due task of {@code record} has a result from its pending writes or {@code results}. */
  private static boolean resolved(CheckpointRecord record, List<WriteRecord> pending, List<Object> results) {
    Set<String> completed = new HashSet<>();
    for (WriteRecord write : pending) {
      if (RunCheckpoints.COMPLETED.equals(write.channel())) {
        completed.add(write.taskId());
      }
    }
    List<Map<String, Object>> due = record.nextTasks();
    for (int i = 0; i < due.size(); i++) {
      if (!completed.contains(String.valueOf(due.get(i).get("id"))) && (i >= results.size() || results.get(i) == null)) {
        return false;
      }
    }
    return true;
  }
}
