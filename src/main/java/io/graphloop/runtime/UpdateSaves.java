package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.internal.bus.Owners;
import io.graphloop.internal.engine.JoinBarriers;
import io.graphloop.internal.engine.Restore;
import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.StateUpdate;
import io.graphloop.run.ThreadUpdate;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.runtime.ThreadStateService.COPY;
import static io.graphloop.runtime.ThreadStateService.INPUT;

/**
 * The checkpoint an update of a thread's state saves ({@link ThreadStateService#bulkUpdate}, LangGraph's
 * {@code update_state} and {@code bulk_update_state}), one superstep at a time: the values written as their nodes'
 * through the pure {@link StateUpdate} (source {@code update}, with the results they give the base's due tasks), a
 * {@code fork} copy ({@code "__copy__"}) or an {@code input} checkpoint ({@code "__input__"}); the node of an update
 * without one is inferred as LangGraph does (see {@link ThreadStateService}). The caller holds the thread's lock.
 *
 * <p>Thread rules: called on the coordinator's event loop that handles the request; stateless but for the graph and
 * checkpointer it was made with; store I/O is asynchronous.
 */
final class UpdateSaves {

  private final CompiledGraph graph;
  private final Checkpointer checkpointer;

  UpdateSaves(CompiledGraph graph, Checkpointer checkpointer) {
    this.graph = graph;
    this.checkpointer = checkpointer;
  }

  /**
   * Saves one superstep of updates onto {@code base} ({@code null}: a thread without checkpoints): a copy
   * ({@code "__copy__"}), an input ({@code "__input__"}), or the values written as their nodes' (with their goto
   * targets and Sends; the node inferred when the update names none), fenced on {@code head}.
   */
  Future<Checkpoint> save(String threadId, Checkpoint base, List<ThreadUpdate> updates, String owner,
                                  String head) {
    ThreadUpdate first = updates.get(0);
    if (updates.size() == 1 && (COPY.equals(first.asNode()) || INPUT.equals(first.asNode()))
        && (!first.goTo().isEmpty() || !first.sends().isEmpty())) {
      return Future.failedFuture(new IllegalArgumentException("An update as " + first.asNode() + " takes values only, "
          + "not goto targets or Sends (got goto " + first.goTo() + ", " + first.sends().size() + " Send(s)); "
          + "update as the node that routes."));
    }
    if (updates.size() == 1 && COPY.equals(first.asNode())) {
      return copy(threadId, base, first.values(), owner);
    }
    if (updates.size() == 1 && INPUT.equals(first.asNode())) {
      return input(threadId, base, first.values(), owner, head);
    }
    // clearing (no values as END, LangGraph's update_state(config, None, as_node=END)) keeps the writes of the tasks
    // that had completed in the unfinished step: the thread's current values, as getState shows them
    boolean clearing = updates.size() == 1 && first.values() == null && StateGraph.END.equals(first.asNode());
    State baseState = base == null ? null : clearing ? ThreadStates.of(graph, base, true).values() : base.state();
    RunState from = base == null ? new RunState(graph.withDefaults(State.empty()), 0, List.of(),
        JoinBarriers.fromDescription(graph, null))
        : Restore.runState(graph, baseState, base.step() + 1, base.record().nextTasks(), base.record().joins());
    RunState next;
    List<String> nodes = new ArrayList<>();
    List<Map<String, Object>> written = new ArrayList<>();
    if (updates.size() == 1) {
      String node = first.asNode() != null ? first.asNode() : inferNode(threadId, base);
      nodes.add(node);
      written.add(first.values());
      next = StateUpdate.asNode(graph, "update-of-" + threadId, from, new StateUpdate.Write(node, first.values(),
          first.goTo(), first.sends()));
    } else {
      List<StateUpdate.Write> writes = new ArrayList<>();
      for (ThreadUpdate update : updates) {
        nodes.add(update.asNode());
        written.add(update.values());
        writes.add(new StateUpdate.Write(update.asNode(), update.values(), update.goTo(), update.sends()));
      }
      next = StateUpdate.asNodes(graph, "update-of-" + threadId, from, writes);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("asNode", nodes.size() == 1 ? nodes.get(0) : List.copyOf(nodes));
    metadata.put(RunCheckpoints.RAN, List.copyOf(nodes));
    if (owner != null) {
      metadata.put(Owners.METADATA_KEY, owner); // a thread first used by this update belongs to its owner
    }
    String id = checkpointer.nextCheckpointId(base == null ? null : base.checkpointId()); // its tasks' ids derive from it
    return checkpointer.save(threadId, base, next.state(), next.step() - 1, CheckpointSource.UPDATE, metadata,
        TaskIds.entries(id, threadId, next.tasks()), next.joins().describe(graph), head, id,
        updateResults(base, nodes, written));
  }

  /**
   * The results an update gives {@code base}'s due tasks, by position in its next tasks: as LangGraph stores an
   * update as node X as the writes of {@code base}'s task X when X is due there, each update's values (keys outside a
   * strict graph's channels dropped) become the result of the first due task of its node not matched yet;
   * {@code null}: none.
   */
  private List<Object> updateResults(Checkpoint base, List<String> nodes, List<Map<String, Object>> values) {
    if (base == null || base.record().nextTasks().isEmpty()) {
      return null;
    }
    List<Map<String, Object>> due = base.record().nextTasks();
    List<Object> results = new ArrayList<>(java.util.Collections.nCopies(due.size(), null));
    boolean any = false;
    for (int i = 0; i < nodes.size(); i++) {
      for (int task = 0; values.get(i) != null && task < due.size(); task++) {
        if (nodes.get(i).equals(due.get(task).get("node")) && results.get(task) == null) {
          Map<String, Object> kept = new LinkedHashMap<>(values.get(i));
          if (graph.isStrictChannels()) {
            kept.keySet().retainAll(graph.channels().keySet());
          }
          results.set(task, kept);
          any = true;
          break;
        }
      }
    }
    return any ? results : null;
  }

  /**
   * LangGraph's {@code update_state(config, values, as_node="__input__")}: the values saved as a run's input would be,
   * an {@code input} checkpoint with {@code base}'s state and START's task due (its writes are the values, keys outside
   * the graph's input keys dropped), which a run without input ({@link io.graphloop.client.GraphClient#proceed})
   * continues as it continues a run's own input checkpoint. Its step is -1 on a thread without checkpoints, else
   * {@code base}'s step + 1.
   */
  private Future<Checkpoint> input(String threadId, Checkpoint base, Map<String, Object> values, String owner,
                                   String head) {
    if (values == null) {
      return Future.failedFuture(new IllegalArgumentException("An update as " + INPUT + " of thread '" + threadId
          + "' of graph '" + graph.name() + "' needs values (the run's input; {} for an empty one)."));
    }
    State previous = base == null ? graph.withDefaults(State.empty()) : base.state();
    int startStep = base == null ? 0 : base.step() + 2;
    RunState next = io.graphloop.internal.engine.Superstep.start(graph, previous,
        Values.freezeUpdate(values, "the update of the thread's state as " + INPUT), startStep);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("asNode", INPUT);
    if (owner != null) {
      metadata.put(Owners.METADATA_KEY, owner);
    }
    String id = checkpointer.nextCheckpointId(base == null ? null : base.checkpointId()); // its tasks' ids derive from it
    return checkpointer.save(threadId, base, next.state(), startStep - 1, CheckpointSource.INPUT, metadata,
        TaskIds.entries(id, threadId, next.tasks()), next.joins().describe(graph), head, id);
  }

  /**
   * LangGraph's {@code update_state(config, None, as_node="__copy__")}: a {@code fork} checkpoint with {@code base}'s
   * state and tasks (one step on, so they are new tasks: their interrupts are asked anew), a sibling of {@code base}
   * (same parent), which becomes the thread's latest checkpoint.
   */
  private Future<Checkpoint> copy(String threadId, Checkpoint base, Map<String, Object> values, String owner) {
    if (base == null) {
      return Future.failedFuture(new IllegalArgumentException("Cannot copy a checkpoint of thread '" + threadId
          + "' of graph '" + graph.name() + "': the thread has no checkpoints yet (asNode " + COPY + " copies one)."));
    }
    if (values != null && !values.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("An update as " + COPY + " copies checkpoint "
          + base.checkpointId() + " of thread '" + threadId + "' unchanged and takes no values (got keys "
          + values.keySet() + "); copy it first, then update the copy as a node."));
    }
    String parentId = base.record().parentId();
    Future<Checkpoint> parent = parentId == null ? Future.succeededFuture() : checkpointer.load(threadId, parentId);
    RunState tasks = Restore.runState(graph, base.state(), base.step() + 2, base.record().nextTasks(),
        base.record().joins());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("asNode", COPY);
    metadata.put("forkOf", base.checkpointId());
    if (owner != null) {
      metadata.put(Owners.METADATA_KEY, owner);
    }
    Object ran = base.record().metadata().get(RunCheckpoints.RAN);
    if (ran != null) {
      metadata.put(RunCheckpoints.RAN, ran); // an update of the copy infers its node as one of the original would
    }
    return parent.compose(before -> {
      String id = checkpointer.nextCheckpointId(base.checkpointId()); // after base's: its tasks' ids derive from it
      return checkpointer.save(threadId, before, base.state(), base.step() + 1, CheckpointSource.FORK, metadata,
          TaskIds.entries(id, threadId, tasks.tasks()), base.record().joins(),
          before == null ? null : before.checkpointId(), id);
    });
  }

  /** The node an update without {@code asNode} counts as (see the class comment). */
  private String inferNode(String threadId, Checkpoint base) {
    String entrypoint = FunctionalGraphs.entrypoint(graph);
    if (entrypoint != null) { // as LangGraph's update_state of an entrypoint: its only node, on a new thread too
      return entrypoint;
    }
    if (base == null || base.record().source() == CheckpointSource.INPUT) {
      return StateGraph.START;
    }
    Object ran = base.record().metadata().get(RunCheckpoints.RAN);
    Set<String> nodes = new LinkedHashSet<>();
    if (ran instanceof List) {
      ((List<?>) ran).forEach(name -> nodes.add(String.valueOf(name)));
    }
    if (nodes.size() == 1) {
      return nodes.iterator().next();
    }
    throw new IllegalArgumentException("Ambiguous update of thread '" + threadId + "' of graph '" + graph.name()
        + "': " + (nodes.isEmpty() ? "checkpoint " + base.checkpointId() + " does not say which node ran last"
        : "nodes " + nodes + " ran in the step checkpoint " + base.checkpointId() + " was saved after")
        + ". Pass asNode: one of " + graph.nodeNames() + ", " + StateGraph.START + " or " + StateGraph.END + ".");
  }
}
