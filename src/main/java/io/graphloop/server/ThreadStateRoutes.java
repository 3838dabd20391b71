package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.run.CheckpointConfig;
import io.graphloop.run.ThreadState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Set;

/**
 * A thread's state endpoints of LangGraph Server: the state (latest, at a checkpoint), its update and its history,
 * sent to the thread's graph on the event bus ({@code graphloop.<graph>.threads}). A {@code checkpoint} whose
 * {@code checkpoint_ns} names a subgraph ({@code POST /threads/{id}/state/checkpoint}, {@code POST
 * /threads/{id}/state}, {@code POST /threads/{id}/history}; the SDKs' {@code get_state(checkpoint=...)},
 * {@code update_state(checkpoint=...)}, {@code get_history(checkpoint=...)}) reads or updates that child's own
 * checkpoints, as LangGraph's {@code get_state}/{@code update_state}/{@code get_state_history} of such a config
 * ({@link CheckpointConfig}); the answers name that namespace in their {@code checkpoint}. An update of a child leaves
 * the thread's values (the root graph's) as they are.
 *
 * <p>Thread rules: handlers run on the server verticle's context.
 */
final class ThreadStateRoutes {

  private static final Set<String> UPDATE_FIELDS = Set.of("values", "as_node", "checkpoint", "checkpoint_id");
  private static final Set<String> HISTORY_FIELDS = Set.of("limit", "before", "metadata", "checkpoint");

  private final Registry registry;
  private final Map<String, GraphClient> clients;
  private final RunService runs;

  ThreadStateRoutes(Registry registry, Map<String, GraphClient> clients, RunService runs) {
    this.registry = registry;
    this.clients = clients;
    this.runs = runs;
  }

  void mount(Router router) {
    router.get("/threads/:thread_id/state").handler(ctx -> state(ctx, null, null, null));
    router.post("/threads/:thread_id/state/checkpoint").handler(this::stateAtCheckpoint);
    router.get("/threads/:thread_id/state/:checkpoint_id")
        .handler(ctx -> state(ctx, ctx.pathParam("checkpoint_id"), null, null));
    router.post("/threads/:thread_id/state").handler(this::updateState);
    router.post("/threads/:thread_id/history").handler(ctx -> history(ctx, Bodies.object(ctx)));
    router.get("/threads/:thread_id/history").handler(ctx -> history(ctx, new JsonObject()
        .put("limit", Bodies.intParam(ctx.request().getParam("limit"), "limit", 10, 1, 10_000))
        .put("before", ctx.request().getParam("before"))));
  }

  private ThreadRecord thread(RoutingContext ctx) {
    return registry.requireThread(ctx.pathParam("thread_id"), Auth.user(ctx));
  }

  /** The graph client of a thread; {@code null} when no run or metadata has named its graph yet. */
  private GraphClient client(ThreadRecord thread) {
    return thread.graphId == null ? null : Owned.client(clients.get(thread.graphId), thread.owner);
  }

  /**
   * The checkpoint namespace of a {@code checkpoint} object ({@code checkpoint_ns}), {@code null} for none or the
   * root graph's ({@code ""}).
   */
  private static String namespace(JsonObject checkpoint) {
    String ns = checkpoint == null ? null : Bodies.string(checkpoint, "checkpoint_ns");
    return ns == null || ns.isEmpty() ? null : ns;
  }

  /**
   * The state at {@code checkpointId} (null: the latest) in namespace {@code ns} (null: the thread's graph);
   * {@code subgraphs} null: the query parameter.
   */
  private void state(RoutingContext ctx, String checkpointId, String ns, Boolean subgraphsAsked) {
    ThreadRecord thread = thread(ctx);
    boolean subgraphs = subgraphsAsked != null ? subgraphsAsked
        : Bodies.boolParam(ctx.request().getParam("subgraphs"), "subgraphs", false);
    GraphClient client = client(thread);
    if (client == null) {
      if (checkpointId != null || ns != null) {
        throw ApiException.notFound("Checkpoint '" + (checkpointId == null ? "" : checkpointId)
            + "' (namespace '" + (ns == null ? "" : ns) + "') of thread '" + thread.threadId + "'");
      }
      ctx.json(ThreadStates.empty(thread.threadId));
      return;
    }
    client.getState(new CheckpointConfig(thread.threadId, ns, checkpointId), subgraphs).onComplete(state -> {
      if (state.succeeded()) {
        ctx.json(shown(thread, ThreadStates.toJson(state.result())));
      } else if (checkpointId == null && ns == null && ThreadRoutes.isNotFound(state.cause())) {
        ctx.json(ThreadStates.empty(thread.threadId)); // a thread with no checkpoint yet
      } else {
        ctx.fail(ApiException.of(state.cause()));
      }
    });
  }

  /**
   * {@code POST /threads/{id}/state/checkpoint}: {@code {"checkpoint": {checkpoint_id?, checkpoint_ns?},
   * "subgraphs"?}} (a subgraph's namespace may leave out the id: its latest state).
   */
  private void stateAtCheckpoint(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, Set.of("checkpoint", "subgraphs"), "a state request");
    JsonObject checkpoint = Bodies.object(body, "checkpoint");
    String id = checkpoint == null ? null : Bodies.string(checkpoint, "checkpoint_id");
    String ns = namespace(checkpoint);
    if (id == null && ns == null) {
      throw ApiException.invalid("Field 'checkpoint' must hold the checkpoint's 'checkpoint_id' (or a subgraph's "
          + "'checkpoint_ns').");
    }
    Object subgraphs = body.getValue("subgraphs");
    if (subgraphs != null && !(subgraphs instanceof Boolean)) {
      throw Bodies.wrong("subgraphs", "a boolean", subgraphs);
    }
    state(ctx, id, ns, (Boolean) subgraphs);
  }

  private void updateState(RoutingContext ctx) {
    ThreadRecord thread = thread(ctx);
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, UPDATE_FIELDS, "a state update");
    Object values = body.getValue("values");
    boolean entrypoint = runs.entrypoints().shows(thread.graphId != null ? thread.graphId
        : clients.size() == 1 ? clients.keySet().iterator().next() : null);
    if (values != null && !(values instanceof JsonObject) && !entrypoint) {
      throw Bodies.wrong("values", "a JSON object of channel writes (or null)", values);
    }
    String asNode = Bodies.string(body, "as_node");
    String checkpointId = Bodies.string(body, "checkpoint_id");
    JsonObject checkpoint = Bodies.object(body, "checkpoint");
    if (checkpoint != null && checkpoint.getValue("checkpoint_id") != null) {
      checkpointId = Bodies.string(checkpoint, "checkpoint_id");
    }
    String ns = namespace(checkpoint);
    if (thread.graphId == null) {
      if (ns != null) {
        throw ApiException.notFound("Subgraph namespace '" + ns + "' of thread '" + thread.threadId + "' (the "
            + "thread has no graph and no checkpoints yet)");
      }
      if (clients.size() != 1) {
        throw new ApiException(409, "Thread '" + thread.threadId + "' has no graph yet: run it first, or create it "
            + "with metadata.graph_id (one of " + clients.keySet() + ").");
      }
      thread.graphId = clients.keySet().iterator().next();
    }
    // an entrypoint's graph shown in LangGraph's form takes the value itself (update_state(config, value))
    Map<String, Object> writes = values == null ? Map.of() : entrypoint && ns == null
        ? EntrypointValues.update(values) : ((JsonObject) values).getMap();
    client(thread).updateState(new CheckpointConfig(thread.threadId, ns, checkpointId), writes, asNode)
        .onComplete(updated -> {
          if (updated.failed()) {
            ctx.fail(ApiException.of(updated.cause()));
            return;
          }
          ThreadState state = updated.result();
          JsonObject written = ThreadStates.checkpoint(thread.threadId, state.checkpointId());
          if (ns != null) { // a subgraph's checkpoint: the thread's values (its root graph's) are unchanged
            ctx.json(new JsonObject().put("checkpoint", written.put("checkpoint_ns", state.config().checkpointNs())));
            return;
          }
          // as LangGraph Server (the JS reference's State.post): a state update sets the thread's values only; its
          // status and interrupts stay those its last run left (server-differences.md, ServerStateUpdateStatusTest)
          thread.values = state.values().toJson();
          if (runs.threadStreams() != null) {
            runs.threadStreams().stateUpdated(thread.threadId, new JsonObject().put("thread_id", thread.threadId)
                .put("values", values).put("as_node", asNode).put("checkpoint", written.copy()));
          }
          registry.changed(thread).onComplete(saved -> ctx.json(new JsonObject().put("checkpoint", written)));
        });
  }

  private void history(RoutingContext ctx, JsonObject body) {
    ThreadRecord thread = thread(ctx);
    Bodies.onlyKnown(body, HISTORY_FIELDS, "a history request");
    int limit = Bodies.integer(body, "limit", 10, 1, 10_000);
    Object beforeValue = body.getValue("before");
    String before;
    if (beforeValue == null || beforeValue instanceof String) {
      before = (String) beforeValue;
    } else if (beforeValue instanceof JsonObject) {
      // a checkpoint ({checkpoint_id}) or a config ({configurable: {checkpoint_id}}), as the SDKs send it
      JsonObject beforeObject = (JsonObject) beforeValue;
      Object configurable = beforeObject.getValue("configurable");
      before = Bodies.string(configurable instanceof JsonObject ? (JsonObject) configurable : beforeObject,
          "checkpoint_id");
    } else {
      throw Bodies.wrong("before", "a checkpoint id or a checkpoint object", beforeValue);
    }
    JsonObject metadata = Bodies.object(body, "metadata");
    String ns = namespace(Bodies.object(body, "checkpoint")); // "Return states for this subgraph"
    GraphClient client = client(thread);
    if (client == null) {
      ctx.json(new JsonArray());
      return;
    }
    client.getStateHistory(new CheckpointConfig(thread.threadId, ns, null), metadata == null ? limit : 0, before)
        .onComplete(states -> {
          if (states.failed()) {
            if (ns == null && ThreadRoutes.isNotFound(states.cause())) {
              ctx.json(new JsonArray());
            } else {
              ctx.fail(ApiException.of(states.cause()));
            }
            return;
          }
          JsonArray page = new JsonArray();
          for (ThreadState state : states.result()) {
            JsonObject json = shown(thread, ThreadStates.toJson(state));
            if (page.size() < limit && ThreadRoutes.contains(json.getJsonObject("metadata"), metadata)) {
              page.add(json);
            }
          }
          ctx.json(page);
        });
  }

  /** {@code json} (one of a thread's states) with its values as LangGraph shows an entrypoint's. */
  private JsonObject shown(ThreadRecord thread, JsonObject json) {
    if (runs.entrypoints().shows(thread.graphId) && json.getValue("values") instanceof JsonObject) {
      json.put("values", EntrypointValues.values(json.getJsonObject("values")));
    }
    return json;
  }
}
