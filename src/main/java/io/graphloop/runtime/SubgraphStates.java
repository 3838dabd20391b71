package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds to a thread's state the states of its subgraph tasks (LangGraph's {@code get_state(config, subgraphs=True)}):
 * each task due whose node is a subgraph and whose child has checkpointed in the task's namespace gets the child's
 * current state as its {@code "state"}, recursively for nested subgraphs. A stateful child
 * ({@link io.graphloop.graph.Subgraph.Persistence#STATEFUL}) is read from its thread of every invocation, its
 * namespace without task ids (LangGraph's {@code recast_checkpoint_ns}: {@code "node"}); a child without checkpoints
 * shows none. A child state names the parent's thread and
 * carries its checkpoint namespace in its metadata ({@code "checkpointNs"}: {@code "node:uuid"}, nested levels joined
 * by {@code "|"}) and LangGraph's {@code "parents"}: the checkpoint id of each level above it, by that level's
 * namespace ({@code ""} for the root graph), as LangGraph's checkpoint map gives a child's checkpoints.
 *
 * <p>Stateless; store I/O is asynchronous; safe from any thread.
 */
final class SubgraphStates {

  /** The metadata key holding a subgraph state's checkpoint namespace. */
  static final String CHECKPOINT_NS = "checkpointNs";

  private SubgraphStates() {
  }

  /**
   * {@code state} (of {@code graph}, on store thread {@code storeThread}) with its subgraph tasks' states.
   *
   * @param rootThread the thread the user named
   * @param namespace  the namespace of {@code state} ("" for the root graph)
   */
  static Future<ThreadState> with(Checkpointer checkpointer, CompiledGraph graph, String storeThread,
                                  String rootThread, String namespace, ThreadState state) {
    return with(checkpointer, graph, storeThread, rootThread, namespace, state, Map.of());
  }

  /**
   * @param parents the checkpoint ids of the levels above {@code state}, by namespace (empty for the root graph):
   *                its children's {@code parents} are these plus {@code state}'s own checkpoint under
   *                {@code namespace}
   */
  private static Future<ThreadState> with(Checkpointer checkpointer, CompiledGraph graph, String storeThread,
                                          String rootThread, String namespace, ThreadState state,
                                          Map<String, Object> parents) {
    Map<String, Object> childParents = new LinkedHashMap<>(parents);
    childParents.put(namespace, state.checkpointId());
    List<Future<Map<String, Object>>> tasks = new ArrayList<>(state.tasks().size());
    boolean any = false;
    for (Map<String, Object> task : state.tasks()) {
      Object ns = task.get("checkpointNs");
      int index = graph.indexOf(String.valueOf(task.get("node")));
      if (!(ns instanceof String) || index < 0 || index == graph.startIndex()
          || !graph.node(index).isCheckpointedSubgraph()) { // no subgraph, or one that keeps no state to show
        tasks.add(Future.succeededFuture(task));
        continue;
      }
      io.graphloop.graph.Subgraph subgraph = graph.node(index).subgraph();
      any = true;
      CompiledGraph child = subgraph.graph();
      boolean stateful = subgraph.persistence() == io.graphloop.graph.Subgraph.Persistence.STATEFUL;
      String node = String.valueOf(task.get("node"));
      // a stateful child's thread and namespace leave out task ids (LangGraph's recast_checkpoint_ns)
      String childThread = stateful ? SubgraphThreads.statefulThread(storeThread, node)
          : storeThread + SubgraphThreads.SEPARATOR + ns;
      String childNamespace = stateful ? SubgraphThreads.namespaceOf(childThread)
          : namespace.isEmpty() ? (String) ns : namespace + SubgraphThreads.SEPARATOR + ns;
      Checkpointer childCheckpointer = Checkpointer.forGraph(checkpointer.store(), child);
      tasks.add(childCheckpointer.load(childThread).compose(checkpoint -> {
        if (checkpoint == null) {
          return Future.succeededFuture(task);
        }
        ThreadState childState = named(ThreadStates.of(child, checkpoint, true), rootThread, childNamespace,
            childParents);
        return with(childCheckpointer, child, childThread, rootThread, childNamespace, childState, childParents)
            .map(full -> {
          Map<String, Object> withState = new LinkedHashMap<>(task);
          withState.put("state", full.toJson().getMap());
          return withState;
        });
      }));
    }
    if (!any) {
      return Future.succeededFuture(state);
    }
    return Future.all(tasks).map(done -> {
      List<Map<String, Object>> filled = new ArrayList<>(tasks.size());
      tasks.forEach(task -> filled.add(task.result()));
      return new ThreadState(state.threadId(), state.checkpointId(), state.parentCheckpointId(), state.step(),
          state.createdAt(), state.source(), state.metadata(), state.values(), state.next(), filled,
          state.interrupts());
    });
  }

  /**
   * A child's state as the user sees it: on the parent's thread, with its namespace and the checkpoints of the levels
   * above it ({@code parents}) in its metadata.
   */
  private static ThreadState named(ThreadState state, String rootThread, String namespace,
                                   Map<String, Object> parents) {
    Map<String, Object> metadata = new LinkedHashMap<>(state.metadata());
    metadata.put("parents", parents);
    metadata.put(CHECKPOINT_NS, namespace);
    JsonObject json = state.toJson().put("threadId", rootThread).put("metadata", new JsonObject(metadata));
    return ThreadState.fromJson(json);
  }
}
