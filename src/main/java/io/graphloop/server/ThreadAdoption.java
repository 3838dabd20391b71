package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Threads this server did not create: on a cluster whose coordinators share a PostgreSQL store, another member's
 * server created them; with a durable store (SQLite, PostgreSQL), an earlier process did. When a request names a
 * thread the {@link Registry} does not know, this handler asks the graphs' coordinators for its state, acting for
 * the caller (the thread's owner is recorded in its checkpoints, so another user's thread stays "not found"), and
 * adopts the thread found: a record with its graph, values, interrupts and status (idle or interrupted). Then the
 * thread routes serve it as any other. A thread with no checkpoint yet (created and never run nor updated) exists
 * only on the server that created it, unless the servers share a {@link ThreadStore}.
 *
 * <p>With a shared {@link ThreadStore}, every request naming a thread first reads its stored record (after this
 * server's own saves of it), so the routes see what any server last stored: a thread created, updated or deleted
 * elsewhere. A thread found only in checkpoints is adopted as above and stored.
 *
 * <p>Thread rules: mounted on the server verticle's router; handlers run on its context and never block (state
 * requests are event-bus requests).
 */
final class ThreadAdoption {

  private final Registry registry;
  private final Map<String, GraphClient> clients;

  ThreadAdoption(Registry registry, Map<String, GraphClient> clients) {
    this.registry = registry;
    this.clients = clients;
  }

  void mount(Router router) {
    router.post("/threads").handler(ctx -> handle(ctx, createdId(ctx)));
    router.route("/threads/:thread_id").handler(ctx -> handle(ctx, ctx.pathParam("thread_id")));
    router.route("/threads/:thread_id/*").handler(ctx -> handle(ctx, ctx.pathParam("thread_id")));
  }

  /** The {@code thread_id} a thread create names (its {@code if_exists} then sees a thread made elsewhere), or null. */
  private static String createdId(RoutingContext ctx) {
    try {
      Object id = Bodies.object(ctx).getValue("thread_id");
      return id instanceof String ? (String) id : null;
    } catch (ApiException e) {
      return null; // a bad body: the create route answers it
    }
  }

  private void handle(RoutingContext ctx, String threadId) {
    if (threadId == null || threadId.isBlank() || List.of("search", "count", "prune").contains(threadId)) {
      ctx.next();
      return;
    }
    ThreadStore shared = registry.shared();
    if (shared != null) {
      registry.saved(threadId).compose(saved -> shared.get(threadId)).onComplete(stored -> {
        if (stored.failed()) {
          ctx.fail(new ApiException(503, "The shared thread records could not be read: "
              + stored.cause().getMessage()));
          return;
        }
        if (stored.result() != null) {
          try {
            registry.keep(stored.result());
          } catch (ApiException full) {
            ctx.fail(full);
            return;
          }
          ctx.next();
          return;
        }
        if (registry.threadExists(threadId) && registry.activeRunsOf(threadId).isEmpty()) {
          registry.removeThread(threadId); // deleted through another server
        }
        adopt(ctx, threadId);
      });
      return;
    }
    if (registry.threadExists(threadId)) {
      ctx.next();
      return;
    }
    adopt(ctx, threadId);
  }

  /** Looks {@code threadId} up in the graphs' checkpoints and adopts it when found; then the routes. */
  private void adopt(RoutingContext ctx, String threadId) {
    if (registry.threadExists(threadId)) {
      ctx.next();
      return;
    }
    String user = Auth.user(ctx);
    find(threadId, user, new ArrayList<>(clients.keySet()), 0).onComplete(found -> {
      if (found.succeeded() && found.result() != null && !registry.threadExists(threadId)) {
        try {
          adopt(threadId, user, found.result());
        } catch (ApiException full) { // the registry's bound (maxThreads)
          ctx.fail(full);
          return;
        }
      }
      ctx.next(); // a thread found nowhere is the routes' 404, as before
    });
  }

  /** The state of {@code threadId} in the first graph (from {@code index}) that has it for {@code user}. */
  private Future<Found> find(String threadId, String user, List<String> graphs, int index) {
    if (index >= graphs.size()) {
      return Future.succeededFuture();
    }
    String graph = graphs.get(index);
    return Owned.client(clients.get(graph), user).getState(threadId).transform(state -> {
      if (state.succeeded()) {
        return Future.succeededFuture(new Found(graph, state.result()));
      }
      if (isNotFound(state.cause())) {
        return find(threadId, user, graphs, index + 1);
      }
      return Future.failedFuture(state.cause());
    });
  }

  private void adopt(String threadId, String user, Found found) {
    ThreadRecord thread = registry.addThread(threadId, user, new JsonObject().put("graph_id", found.graph()));
    thread.graphId = found.graph();
    thread.values = found.state().values().toJson();
    thread.interrupts = Interrupts.of(found.state().interrupts());
    thread.status = ThreadRecord.statusOf(found.state());
    registry.save(thread);
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof GraphloopException && ((GraphloopException) failure).code() == FailureCode.UNKNOWN_TARGET;
  }

  private record Found(String graph, ThreadState state) {
  }
}
