/**
 * Durable state: checkpoints of a thread's state after every superstep, stored incrementally, in memory, in an
 * embedded SQLite file, or in PostgreSQL (LangGraph's checkpointers).
 *
 * <p>Two layers. A {@link io.graphloop.checkpoint.CheckpointStore} stores rows: {@link
 * io.graphloop.checkpoint.CheckpointRecord checkpoints} (where a run stands, with one version per channel),
 * {@link io.graphloop.checkpoint.BlobRecord blobs} (a channel's full value, or the elements appended to a list
 * since an earlier version) and {@link io.graphloop.checkpoint.WriteRecord pending writes} (of tasks that
 * completed in a step that did not). The {@link io.graphloop.checkpoint.Checkpointer} decides what to store: only
 * the channels that changed since the parent checkpoint, and for append channels only the new elements, so a
 * thread of n steps that each append one message takes O(n) space, not O(n²).
 *
 * <p>How a run uses it (a sketch; the runtime owns the loop):
 * <pre>{@code
 * Checkpointer checkpointer = Checkpointer.forGraph(store, graph);     // one per graph, immutable
 * // start or resume a thread
 * checkpointer.load(threadId).compose(last -> {                       // null for a new thread
 *   State previous = last == null ? State.empty() : last.state();
 *   RunState run = Superstep.begin(graph, runId, previous, input);
 *   return checkpointer.save(threadId, last, run.state(), -1, CheckpointSource.INPUT,
 *       Map.of("runId", runId), CheckpointRecord.tasks(runId, run.tasks()), run.joins().describe(graph));
 * });
 * // as each task of a step completes (so a crash does not run it again)
 * checkpointer.putWrites(threadId, parent.checkpointId(), task.id(runId), task.node(), result.update());
 * // after the step's join point
 * RunState next = Superstep.advance(graph, runId, current, results, limit);
 * checkpointer.save(threadId, parent, next.state(), current.step(), CheckpointSource.LOOP, metadata,
 *     CheckpointRecord.tasks(runId, next.tasks()), next.joins().describe(graph))
 *   .onSuccess(saved -> parent = saved);                               // the next save's parent
 * // time travel: load an old checkpoint and save from it; its lineage forks, the old one stays
 * checkpointer.load(threadId, oldId).compose(old -> checkpointer.save(threadId, old, changed, old.step(),
 *     CheckpointSource.FORK, null, null, null));
 * }</pre>
 *
 * <p>Threads: every operation returns a Vert.x {@code Future} and never blocks; SQLite's JDBC calls run on one
 * dedicated worker thread per database file, PostgreSQL's on the reactive client. Records and
 * {@link io.graphloop.checkpoint.Checkpoint}s are immutable and safe to share.
 */
package io.graphloop.checkpoint;
