package io.graphloop.runtime;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.WriteRecord;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a thread's whole checkpoint history into a new thread (LangGraph Server's {@code POST
 * /threads/{id}/copy}): every checkpoint with the same id, parent, step, time, source and metadata, the blobs each
 * one introduced, and the pending writes of each, under the new thread id. Task ids ({@code <thread>:<step>:<node>})
 * name their thread, so those of the copied next tasks and writes are renamed to the new thread, and the checkpoints
 * of a subgraph task's child thread ({@code <thread>|<node>:<uuid of the task id>}) are copied under the child id the
 * renamed task has. Checkpoints are put oldest first, each fenced on the one put before it, so the copy's head is
 * the original's.
 *
 * <p>Not atomic: a failure part way deletes what was copied (best effort) and fails with the cause. The caller holds
 * the new thread's lock, so no run uses it meanwhile; the original is read as it stands (a run still writing to it
 * may add checkpoints the copy does not have).
 *
 * <p>The task ids of a subgraph task's interrupts ({@code <child thread>:<step>:<node>}), their namespaces and a
 * child's {@code checkpointNs} metadata name the child thread too and are renamed likewise, and a child node's
 * interrupt id (the digest of its task's namespace) is computed again from the renamed ones; other values are copied
 * as they are.
 *
 * <p>Thread rules: call from a Vert.x context; the store never blocks it. One copy per instance.
 */
final class ThreadCopy {

  /** At most this many subgraph child threads are copied with one thread (nested ones included). */
  static final int MAX_CHILD_THREADS = 10_000;

  private int children;

  private final CheckpointStore store;
  private final String from;
  private final String to;
  /** The namespaces of copied subgraph tasks ({@code node:uuid of the task id}), old to new. */
  private final Map<String, String> namespaces = new LinkedHashMap<>();

  /** A copy of thread {@code from} into thread {@code to}. */
  ThreadCopy(CheckpointStore store, String from, String to) {
    this.store = store;
    this.from = from;
    this.to = to;
  }

  /** Copies the thread into the new one, which must have no checkpoint; the number of checkpoints copied. */
  Future<Integer> copy() {
    return copyThread(from, to).recover(failure -> store.deleteThread(to)
        .transform(cleaned -> Future.failedFuture(failure)));
  }

  private Future<Integer> copyThread(String source, String target) {
    return store.list(source, Integer.MAX_VALUE, null).compose(newestFirst -> {
      List<CheckpointRecord> records = new ArrayList<>(newestFirst);
      Collections.reverse(records);
      Future<Integer> chain = Future.succeededFuture(0);
      for (int i = 0; i < records.size(); i++) {
        CheckpointRecord record = records.get(i);
        String head = i == 0 ? null : records.get(i - 1).checkpointId();
        chain = chain.compose(count -> copyCheckpoint(source, target, record, head).map(count + 1));
      }
      return chain;
    });
  }

  private Future<Void> copyCheckpoint(String source, String target, CheckpointRecord record, String head) {
    List<Future<BlobRecord>> introduced = new ArrayList<>();
    record.channelVersions().forEach((channel, version) -> {
      if (version.equals(record.checkpointId())) {
        introduced.add(store.chain(source, channel, version).map(chain -> chain.isEmpty() ? null : chain.get(0)));
      }
    });
    Future<List<WriteRecord>> writes = store.writes(source, record.checkpointId());
    return Future.all(introduced).compose(all -> writes).compose(pending -> {
      List<BlobRecord> blobs = new ArrayList<>(introduced.size());
      for (Future<BlobRecord> blob : introduced) {
        BlobRecord b = blob.result();
        if (b != null) {
          blobs.add(new BlobRecord(target, b.channel(), b.version(), b.kind(), b.prevVersion(), b.value()));
        }
      }
      List<Map<String, Object>> tasks = new ArrayList<>(record.nextTasks().size());
      for (Map<String, Object> task : record.nextTasks()) {
        String node = String.valueOf(task.get("node"));
        String oldId = String.valueOf(task.get("id"));
        String newId = rename(oldId);
        namespaces.putIfAbsent(SubgraphThreads.namespace(node, oldId), SubgraphThreads.namespace(node, newId));
        Map<String, Object> renamed = new LinkedHashMap<>(task);
        renamed.put("id", newId);
        tasks.add(renamed);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) renameStrings(record.metadata());
      CheckpointRecord copied = new CheckpointRecord(target, record.checkpointId(), record.parentId(), record.step(),
          record.createdAt(), record.source(), metadata, record.channelVersions(), tasks, record.joins(),
          record.deltaDepth(), record.taskResults());
      return store.put(copied, blobs, head)
          .compose(v -> copyChildren(source, record.nextTasks()))
          .compose(v -> {
            // after the children: their namespaces (which interrupt ids of nested subgraphs hold) are known now
            List<WriteRecord> copiedWrites = new ArrayList<>(pending.size());
            for (WriteRecord write : pending) {
              Object value = WriteRecord.INTERRUPT.equals(write.channel()) ? renameInterrupts(write.value())
                  : write.value();
              copiedWrites.add(new WriteRecord(target, write.checkpointId(), rename(write.taskId()), write.node(),
                  write.index(), write.channel(), value));
            }
            return store.putWrites(target, record.checkpointId(), copiedWrites);
          });
    });
  }

  /** Copies the child threads of the subgraph tasks among {@code tasks} (those that have checkpoints). */
  private Future<Void> copyChildren(String source, List<Map<String, Object>> tasks) {
    Future<Void> chain = Future.succeededFuture();
    for (Map<String, Object> task : tasks) {
      String node = String.valueOf(task.get("node"));
      String taskId = String.valueOf(task.get("id"));
      String child = source + SubgraphThreads.SEPARATOR + SubgraphThreads.namespace(node, taskId);
      String copiedChild = rename(child);
      chain = chain.compose(v -> store.latest(child)).compose(latest -> {
        if (latest == null) {
          return Future.<Void>succeededFuture();
        }
        return store.latest(copiedChild).compose(done -> {
          if (done != null) { // the same task due in several checkpoints: its child is copied once
            return Future.<Void>succeededFuture();
          }
          if (++children > MAX_CHILD_THREADS) {
            return Future.failedFuture(new IllegalArgumentException("Thread '" + from + "' has more than "
                + MAX_CHILD_THREADS + " subgraph threads; it is too big to copy"));
          }
          return copyThread(child, copiedChild).mapEmpty();
        });
      });
    }
    return chain;
  }

  /**
   * An id of the original thread (a task id {@code <thread>:<step>:<node>}, a child thread {@code <thread>|<ns>}, an
   * interrupt id, a namespace) as the same id in the copy: the thread renamed, and each copied namespace renamed.
   */
  String rename(String id) {
    String renamed = id.equals(from) || id.startsWith(from + ":") || id.startsWith(from + SubgraphThreads.SEPARATOR)
        ? to + id.substring(from.length()) : id;
    for (Map.Entry<String, String> ns : namespaces.entrySet()) {
      if (renamed.contains(ns.getKey())) {
        renamed = renamed.replace(ns.getKey(), ns.getValue());
      }
    }
    return renamed;
  }

  /** The ids ({@code id}, {@code taskId}, {@code ns}) in a subgraph task's interrupt write (a list of interrupts). */
  @SuppressWarnings("unchecked")
  private Object renameInterrupts(Object value) {
    if (!(value instanceof List)) {
      return value; // a node's own interrupt: its payload, no ids
    }
    List<Object> renamed = new ArrayList<>();
    for (Object entry : (List<Object>) value) {
      if (entry instanceof Map) {
        Map<String, Object> interrupt = new LinkedHashMap<>((Map<String, Object>) entry);
        String digest = digestOf(interrupt);
        for (String key : List.of("id", "taskId", "ns")) {
          if (interrupt.get(key) instanceof String) {
            interrupt.put(key, rename((String) interrupt.get(key)));
          }
        }
        if (digest != null && digest.equals(interrupt.get("id"))) { // a child node's id: its renamed task's digest
          interrupt.put("id", digestOf(interrupt));
        }
        renamed.add(interrupt);
      } else {
        renamed.add(entry);
      }
    }
    return renamed;
  }

  /**
   * The interrupt id a child node's interrupt entry {@code {"id", "node", "taskId", "ns"}} has when its id is the digest
   * of its task's checkpoint namespace ({@code ns|node:uuid}), or {@code null} when the entry lacks one of them.
   */
  private static String digestOf(Map<String, Object> interrupt) {
    Object node = interrupt.get("node");
    Object taskId = interrupt.get("taskId");
    Object ns = interrupt.get("ns");
    if (!(node instanceof String) || !(taskId instanceof String) || !(ns instanceof String)) {
      return null;
    }
    return io.graphloop.graph.InterruptIds.of(io.graphloop.graph.InterruptIds.child((String) ns,
        SubgraphThreads.namespace((String) node, (String) taskId)));
  }

  /** Metadata with every string naming the original (e.g. a child's {@code checkpointNs}) renamed. */
  @SuppressWarnings("unchecked")
  private Object renameStrings(Object value) {
    if (value instanceof String) {
      return rename((String) value);
    }
    if (value instanceof Map) {
      Map<String, Object> renamed = new LinkedHashMap<>();
      ((Map<String, Object>) value).forEach((key, entry) -> renamed.put(key, renameStrings(entry)));
      return renamed;
    }
    if (value instanceof List) {
      List<Object> renamed = new ArrayList<>();
      ((List<Object>) value).forEach(entry -> renamed.add(renameStrings(entry)));
      return renamed;
    }
    return value;
  }
}
