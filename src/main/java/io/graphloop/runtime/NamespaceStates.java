package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the thread requests that name a subgraph's checkpoint namespace ({@link ThreadRequest#checkpointNs()}):
 * LangGraph's {@code get_state}, {@code get_state_history}, {@code update_state} and {@code bulk_update_state} of a
 * config whose {@code checkpoint_ns} names a child, which LangGraph hands to the subgraph found by the namespace's
 * node names ({@code get_subgraphs(namespace=recast_checkpoint_ns(ns))}). The child graph is found the same way, level
 * by level through the subgraph nodes; its checkpoints are on the store thread {@code <thread>|<namespace>} (a
 * stateful level's without task ids, {@link SubgraphThreads#statefulThread}), read and updated by a
 * {@link ThreadStateService} of the child graph on the parent's store. The states answered name the thread the user
 * named and carry the namespace as {@code metadata.checkpointNs}, as {@code getState(subgraphs=true)} shows children.
 *
 * <p>The thread itself must exist and belong to the caller (else 404, as for any unknown thread); the child's
 * checkpoints are then read and written as the child's runs own them ({@link #childOwner}); an update also
 * takes the thread's lock, so it is refused (423) while a run of the parent holds the thread, as an update of the
 * parent is. An unknown namespace is 404 ("Subgraph ... not found", LangGraph's {@code ValueError}); a namespace
 * through a subgraph without checkpoints ({@link Subgraph.Persistence#NONE}) is 400.
 *
 * <p>Thread rules: called on its coordinator's event loop, as {@link ThreadStateService#handle}; store I/O is
 * asynchronous; holds no mutable state.
 */
final class NamespaceStates {

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final Checkpointer checkpointer;
  private final int maxRequestBytes;

  NamespaceStates(Vertx vertx, CompiledGraph graph, Checkpointer checkpointer, int maxRequestBytes) {
    this.vertx = vertx;
    this.graph = graph;
    this.checkpointer = checkpointer;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** The child graph of a namespace and the store thread of its checkpoints. */
  record Target(CompiledGraph graph, String storeThread, String namespace, Map<String, String> ancestors) {
  }

  /**
   * Answers {@code request} (its {@code checkpointNs} set) for a caller acting for {@code owner}: a
   * {@link ThreadState} (JSON when {@code json}) for get and the updates, {@code {"threadId", "states"}} for history.
   */
  Future<Object> answer(ThreadRequest request, String owner, boolean json) {
    Target target = resolve(graph, request.threadId(), request.checkpointNs());
    Checkpointer childCheckpointer = Checkpointer.forGraph(checkpointer.store(), target.graph());
    ThreadStateService child = new ThreadStateService(vertx, target.graph(), childCheckpointer, maxRequestBytes);
    String root = request.threadId();
    return checkpointer.store().latest(root).compose(latest -> latest == null || !ThreadOwners.owns(latest, owner)
        ? Future.failedFuture(new GraphloopException(FailureCode.UNKNOWN_TARGET, "Thread '" + root + "' of graph '"
            + graph.name() + "' has no checkpoints: no run or update has used it yet (thread ids are "
            + "case-sensitive).", graph.name(), null, null, null, null))
        : childOwner(target).compose(childOwner -> parents(target).compose(parents -> switch (request.op()) {
          case GET -> child.get(target.storeThread(), request.checkpointId(), childOwner)
              .map(state -> named(state, root, target.namespace(), parents))
              .compose(state -> request.subgraphs() ? SubgraphStates.with(childCheckpointer, target.graph(),
                  target.storeThread(), root, target.namespace(), state) : Future.succeededFuture(state))
              .<Object>map(state -> json ? state.toJson() : state);
          case HISTORY -> child.history(target.storeThread(), request.limit(), request.before(), childOwner)
              .map(states -> {
                JsonArray list = new JsonArray();
                states.forEach(state -> list.add(named(state, root, target.namespace(), parents).toJson()));
                return (Object) new JsonObject().put("threadId", root).put("states", list);
              });
          case UPDATE, BULK_UPDATE -> update(child, target, request, childOwner, parents)
              .<Object>map(state -> json ? state.toJson() : state);
          default -> Future.failedFuture(new IllegalArgumentException("Op \"" + request.op().wireName()
              + "\" takes no 'checkpointNs'"));
        })))
        .recover(failure -> Future.failedFuture(inNamespace(failure, request)));
  }

  /** The update under the thread's lock (a run of the parent holds it while its subgraphs run). */
  private Future<ThreadState> update(ThreadStateService child, Target target, ThreadRequest request, String owner,
                                     Map<String, Object> parents) {
    List<List<ThreadUpdate>> supersteps = request.op() == ThreadRequest.Op.UPDATE
        ? List.of(List.of(new ThreadUpdate(request.values(), request.asNode()))) : request.supersteps();
    return ThreadRuns.lock(vertx, graph.name(), request.threadId(), 1)
        .recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '"
            + request.threadId() + "' of graph '" + graph.name() + "' has a run in flight, so the state of its "
            + "subgraph '" + request.checkpointNs() + "' cannot be updated now; update it when the run has ended "
            + "(or cancel the run).", graph.name(), null, null, null, null)))
        .compose(lock -> child.bulkUpdate(target.storeThread(), request.checkpointId(), supersteps, owner)
            .map(state -> named(state, request.threadId(), target.namespace(), parents))
            .eventually(() -> ThreadLock.release(lock)));
  }

  /**
   * The child graph named by {@code namespace} under {@code root} and where its checkpoints are: each level
   * {@code node[:uuid]} is a subgraph node of the level above; a stateful level's thread leaves out task ids
   * (LangGraph's {@code recast_checkpoint_ns}), a per-invocation level's keeps the level as given.
   *
   * @throws GraphloopException 404 when a level is no subgraph node, 400 when one keeps no checkpoints
   */
  static Target resolve(CompiledGraph root, String threadId, String namespace) {
    CompiledGraph current = root;
    String thread = threadId;
    Map<String, String> ancestors = new LinkedHashMap<>(); // namespace -> store thread, of each level above
    for (String level : namespace.split(java.util.regex.Pattern.quote(SubgraphThreads.SEPARATOR))) {
      int colon = level.indexOf(':');
      String node = colon < 0 ? level : level.substring(0, colon);
      int index = current.indexOf(node);
      if (index < 0 || index == current.startIndex() || current.node(index).subgraph() == null) {
        throw new GraphloopException(FailureCode.UNKNOWN_TARGET, "Subgraph " + SubgraphThreads.recast(namespace)
            + " not found: graph '" + current.name() + "' has no subgraph node '" + node + "' (checkpoint namespace '"
            + namespace + "' of thread '" + threadId + "')", root.name(), null, null, null, null);
      }
      Subgraph subgraph = current.node(index).subgraph();
      ancestors.put(SubgraphThreads.namespaceOf(thread), thread);
      switch (subgraph.persistence()) {
        case NONE -> throw new GraphloopException(FailureCode.BAD_REQUEST, "Subgraph node '" + node + "' of graph '"
            + current.name() + "' keeps no checkpoints (Subgraph.withoutCheckpoints()), so checkpoint namespace '"
            + namespace + "' of thread '" + threadId + "' has no state", root.name(), null, null, null, null);
        case STATEFUL -> thread = SubgraphThreads.statefulThread(thread, node);
        default -> thread = thread + SubgraphThreads.SEPARATOR + level;
      }
      current = subgraph.graph();
    }
    return new Target(current, thread, SubgraphThreads.namespaceOf(thread), ancestors);
  }

  /**
   * The owner the child's checkpoints record (a child run records its own, which need not be the caller's): the
   * caller is checked against the thread the user named, and the child is then read and written as its runs do, so
   * the parent's next run continues an updated child.
   */
  private Future<String> childOwner(Target target) {
    return checkpointer.store().latest(target.storeThread()).map(record -> record == null ? null
        : (String) record.metadata().get(io.graphloop.internal.bus.Owners.METADATA_KEY));
  }

  /**
   * LangGraph's {@code parents} of the child's states: the current checkpoint id of each level above it, by that
   * level's namespace ({@code ""} for the root graph), as {@link SubgraphStates} gives a child's (a level without
   * checkpoints is left out).
   */
  private Future<Map<String, Object>> parents(Target target) {
    List<Future<String>> ids = new java.util.ArrayList<>();
    target.ancestors().values().forEach(thread -> ids.add(checkpointer.store().latest(thread)
        .map(record -> record == null ? null : record.checkpointId())));
    return Future.all(ids).map(all -> {
      Map<String, Object> parents = new LinkedHashMap<>();
      int i = 0;
      for (String namespace : target.ancestors().keySet()) {
        String id = ids.get(i++).result();
        if (id != null) {
          parents.put(namespace, id);
        }
      }
      return parents;
    });
  }

  /**
   * A child's state as the user sees it: on the thread the user named, with its namespace and {@code parents} in its
   * metadata.
   */
  static ThreadState named(ThreadState state, String rootThread, String namespace, Map<String, Object> parents) {
    Map<String, Object> metadata = new LinkedHashMap<>(state.metadata());
    metadata.put("parents", parents);
    metadata.put(SubgraphStates.CHECKPOINT_NS, namespace);
    return ThreadState.fromJson(state.toJson().put("threadId", rootThread).put("metadata", new JsonObject(metadata)));
  }

  /** A failure of the child's service, told about the namespace and the thread the user named. */
  private GraphloopException inNamespace(Throwable failure, ThreadRequest request) {
    String where = " (checkpoint namespace '" + request.checkpointNs() + "' of thread '" + request.threadId()
        + "' of graph '" + graph.name() + "')";
    if (failure instanceof GraphloopException e) {
      return e.getMessage().contains(where) || e.getMessage().contains("namespace '" + request.checkpointNs())
          ? e : new GraphloopException(e.code(), e.getMessage() + where, e.graph(), e.runId(), e.step(), e.node(),
          e.getCause());
    }
    if (failure instanceof IllegalArgumentException) {
      return new GraphloopException(FailureCode.BAD_REQUEST, failure.getMessage() + where, graph.name(), null, null,
          null, failure);
    }
    if (failure instanceof io.graphloop.checkpoint.CheckpointNotFoundException) {
      return new GraphloopException(FailureCode.UNKNOWN_TARGET, failure.getMessage() + where, graph.name(), null,
          null, null, failure);
    }
    return new GraphloopException(FailureCode.INTERNAL, "The " + request.op().wireName() + " request failed: "
        + failure + where, graph.name(), null, null, null, failure);
  }
}
