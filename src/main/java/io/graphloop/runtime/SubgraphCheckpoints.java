package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointNotFoundException;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run that names a subgraph's own checkpoint (LangGraph's config with a {@code checkpoint_ns} naming the child and
 * its {@code checkpoint_id}): which checkpoint of the parent's thread it replays or resumes, and which checkpoint each
 * level of subgraphs on the way starts from (LangGraph's {@code checkpoint_map}, carried in the run's config under
 * {@link #CHECKPOINT_MAP} to the child runs, each taking the entry of its own namespace).
 *
 * <p>LangGraph records the parents' checkpoint ids in a child checkpoint's metadata; Graphloop finds them by time, as
 * one run at a time holds a thread and a parent saves no checkpoint while its subgraph task runs: the parent's (and
 * each intermediate level's) checkpoint is its newest one older than the child's checkpoint. A child checkpoint made
 * by an update or a fork is dated by the checkpoint it was made from (followed back to one a run saved).
 *
 * <p>Stateless; store I/O is asynchronous.
 */
final class SubgraphCheckpoints {

  /** The run config key of LangGraph's {@code CONFIG_KEY_CHECKPOINT_MAP}: namespace to checkpoint id. Reserved. */
  static final String CHECKPOINT_MAP = "__pregel_checkpoint_map";

  /** Where a run naming a subgraph checkpoint starts: the parent's checkpoint, and the map for its children. */
  record Resolved(String checkpointId, Map<String, Object> checkpointMap) {
  }

  private SubgraphCheckpoints() {
  }

  /** Resolves checkpoint {@code checkpointId} of namespace {@code namespace} under thread {@code threadId}. */
  static Future<Resolved> resolve(CheckpointStore store, String graph, String threadId, String namespace,
                                  String checkpointId) {
    String childThread = threadId + SubgraphThreads.SEPARATOR + namespace;
    return store.get(childThread, checkpointId).compose(record -> {
      if (record == null) {
        return Future.failedFuture(new CheckpointNotFoundException(threadId + " (checkpoint namespace '" + namespace
            + "')", checkpointId));
      }
      return anchor(store, record);
    }).compose(anchor -> {
      List<String> levels = new ArrayList<>(List.of(namespace.split(java.util.regex.Pattern.quote(
          SubgraphThreads.SEPARATOR))));
      List<Future<CheckpointRecord>> found = new ArrayList<>();
      found.add(newestBefore(store, threadId, anchor));
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < levels.size() - 1; i++) {
        prefix.append(i == 0 ? "" : SubgraphThreads.SEPARATOR).append(levels.get(i));
        found.add(newestBefore(store, threadId + SubgraphThreads.SEPARATOR + prefix, anchor));
      }
      return Future.all(found).compose(done -> {
        CheckpointRecord root = found.get(0).result();
        if (root == null) {
          return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "Checkpoint " + checkpointId
              + " of namespace '" + namespace + "' of thread '" + threadId + "' has no checkpoint of the thread "
              + "before it to replay.", graph, null, null, null, null));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < levels.size() - 1; i++) {
          path.append(i == 0 ? "" : SubgraphThreads.SEPARATOR).append(levels.get(i));
          CheckpointRecord level = found.get(i + 1).result();
          if (level != null) {
            map.put(path.toString(), level.checkpointId());
          }
        }
        map.put(namespace, checkpointId);
        return Future.succeededFuture(new Resolved(root.checkpointId(), Collections.unmodifiableMap(map)));
      });
    });
  }

  /** The id {@code record} is dated by: its own, or for an update's or fork's, that of the one it was made from. */
  private static Future<String> anchor(CheckpointStore store, CheckpointRecord record) {
    boolean derived = record.source() == CheckpointSource.UPDATE || record.source() == CheckpointSource.FORK;
    if (!derived || record.parentId() == null) {
      return Future.succeededFuture(record.checkpointId());
    }
    return store.get(record.threadId(), record.parentId()).compose(parent -> parent == null
        ? Future.succeededFuture(record.checkpointId()) : anchor(store, parent));
  }

  private static Future<CheckpointRecord> newestBefore(CheckpointStore store, String thread, String id) {
    return store.list(thread, 1, id).map(records -> records.isEmpty() ? null : records.get(0));
  }
}
