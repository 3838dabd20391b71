package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The threads endpoints of LangGraph Server: create, get, update (metadata), delete, search, count, copy; a thread's
 * state and history are {@link ThreadStateRoutes}'. Calls about a thread's checkpoints go to the thread's graph on the
 * event bus ({@code graphloop.<graph>.threads}). With a shared {@link ThreadStore} (servers on one durable checkpoint store),
 * creates, updates and deletes are stored before they are answered, and search and count read the stored records, so
 * every server lists the same threads.
 *
 * <p>Thread rules: handlers run on the server verticle's context.
 */
final class ThreadRoutes {

  private static final Set<String> CREATE_FIELDS = Set.of("thread_id", "metadata", "if_exists", "ttl", "supersteps");
  private static final Set<String> SEARCH_FIELDS = Set.of("ids", "metadata", "values", "status", "limit", "offset",
      "sort_by", "sort_order", "select");

  private final Registry registry;
  private final Map<String, GraphClient> clients;
  private final RunService runs;
  private final ThreadTtls ttls;

  ThreadRoutes(Registry registry, Map<String, GraphClient> clients, RunService runs) {
    this.registry = registry;
    this.clients = clients;
    this.runs = runs;
    this.ttls = new ThreadTtls(clients);
  }

  void mount(Router router) {
    router.post("/threads").handler(this::create);
    router.post("/threads/search").handler(this::search);
    router.post("/threads/count").handler(this::count);
    router.get("/threads/:thread_id").handler(this::get);
    router.patch("/threads/:thread_id").handler(this::patch);
    router.delete("/threads/:thread_id").handler(this::delete);
    router.post("/threads/:thread_id/copy").handler(this::copy);
    new ThreadStateRoutes(registry, clients, runs).mount(router);
  }

  private ThreadRecord thread(RoutingContext ctx) {
    return registry.requireThread(ctx.pathParam("thread_id"), Auth.user(ctx));
  }

  /**
   * {@code GET /threads/{id}}: the thread; with {@code include=ttl} (a comma-separated list, as LangGraph's SDKs send
   * it; {@code ttl} is the one field it can add) also its own TTL as stored, {@code "ttl": {"strategy", "ttl"}}
   * (minutes), or {@code "ttl": null} when it has none.
   */
  private void get(RoutingContext ctx) {
    ThreadRecord thread = thread(ctx);
    boolean ttl = false;
    for (String include : ctx.queryParam("include")) {
      for (String field : include.split(",")) {
        if (field.trim().equals("ttl")) {
          ttl = true;
        } else if (!field.isBlank()) {
          throw ApiException.invalid("Query parameter 'include' lists '" + field.trim() + "'; the field a thread can "
              + "include is 'ttl'.");
        }
      }
    }
    if (!ttl) {
      ctx.json(shown(thread));
      return;
    }
    ttls.of(thread).onComplete(read -> {
      if (read.failed()) {
        ctx.fail(ApiException.of(read.cause()));
        return;
      }
      ctx.json(shown(thread).put("ttl", read.result() == null ? null : read.result().toJson()));
    });
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, CREATE_FIELDS, "a thread request");
    String threadId = Bodies.string(body, "thread_id");
    JsonObject metadata = Bodies.object(body, "metadata");
    String ifExists = Bodies.oneOf(body, "if_exists", "raise", List.of("raise", "do_nothing"));
    if (body.getValue("supersteps") != null) {
      throw ApiException.invalid("Field 'supersteps' (a thread created from a list of updates) is not supported "
          + "yet; create the thread, then POST /threads/{thread_id}/state.");
    }
    io.graphloop.checkpoint.ThreadTtl ttl = ThreadTtls.read(body);
    if (threadId != null && threadId.isBlank()) {
      throw ApiException.invalid("Field 'thread_id' must not be blank.");
    }
    String user = Auth.user(ctx);
    if (threadId != null && registry.threadExists(threadId)) {
      ThreadRecord existing = registry.thread(threadId, user);
      if ("do_nothing".equals(ifExists) && existing != null) {
        ctx.json(existing.toJson());
        return;
      }
      throw new ApiException(409, "Thread '" + threadId + "' already exists; send if_exists \"do_nothing\" to get "
          + "it instead.");
    }
    ThreadRecord thread = registry.addThread(threadId == null ? Ids.uuid7() : threadId, user,
        metadata == null ? new JsonObject() : metadata.copy());
    if (thread.graphId != null && !clients.containsKey(thread.graphId)) {
      registry.removeThread(thread.threadId);
      throw ApiException.invalid("metadata.graph_id '" + thread.graphId + "' is not a graph of this server; its "
          + "graphs are " + clients.keySet() + ".");
    }
    ThreadStore shared = registry.shared();
    if (shared == null) {
      created(ctx, thread, ttl);
      return;
    }
    Future<Boolean> inserted = shared.insert(Registry.snapshot(thread));
    thread.saving = inserted.<Void>mapEmpty().otherwiseEmpty();
    inserted.onComplete(done -> {
      if (done.succeeded() && done.result()) {
        created(ctx, thread, ttl);
        return;
      }
      registry.removeThread(thread.threadId);
      if (done.failed()) {
        ctx.fail(new ApiException(503, "The thread could not be stored in the shared thread records: "
            + done.cause().getMessage()));
        return;
      }
      // another server created a thread of this id meanwhile
      shared.get(thread.threadId).onComplete(stored -> {
        ThreadRecord existing = stored.succeeded() ? stored.result() : null;
        if ("do_nothing".equals(ifExists) && existing != null && Registry.visible(existing.owner, user)) {
          try {
            ctx.json(registry.keep(existing).toJson());
          } catch (ApiException full) { // the registry's bound (maxThreads)
            ctx.fail(full);
          }
        } else {
          ctx.fail(new ApiException(409, "Thread '" + thread.threadId + "' already exists; send if_exists "
              + "\"do_nothing\" to get it instead."));
        }
      });
    });
  }

  /**
   * Answers the creation of {@code thread}, after storing its TTL when the request gave one; a TTL no graph could
   * store deletes the new thread again and fails the request with the runtime's error (e.g. 400: no checkpointer).
   */
  private void created(RoutingContext ctx, ThreadRecord thread, io.graphloop.checkpoint.ThreadTtl ttl) {
    if (ttl == null) {
      ctx.json(thread.toJson());
      return;
    }
    ttls.apply(thread, ttl).onComplete(set -> {
      if (set.succeeded()) {
        ctx.json(thread.toJson());
      } else {
        registry.delete(thread).onComplete(deleted -> ctx.fail(ApiException.of(set.cause())));
      }
    });
  }

  private void patch(RoutingContext ctx) {
    ThreadRecord thread = thread(ctx);
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, Set.of("metadata", "ttl"), "a thread update");
    JsonObject metadata = Bodies.object(body, "metadata");
    io.graphloop.checkpoint.ThreadTtl ttl = ThreadTtls.read(body);
    Future<Void> ttlSet = ttl == null ? Future.succeededFuture() : ttls.apply(thread, ttl);
    ttlSet.onComplete(set -> {
      if (set.failed()) {
        ctx.fail(ApiException.of(set.cause()));
        return;
      }
      if (metadata == null && ttl == null) {
        ctx.json(thread.toJson());
        return;
      }
      if (metadata != null) {
        thread.metadata.mergeIn(metadata);
      }
      registry.changed(thread).onComplete(saved -> ctx.json(thread.toJson()));
    });
  }

  private void delete(RoutingContext ctx) {
    ThreadRecord thread = thread(ctx);
    List<Future<Void>> ended = new ArrayList<>();
    for (RunRecord run : registry.activeRunsOf(thread.threadId)) {
      runs.cancel(run);
      ended.add(run.done());
    }
    Future.join(ended).compose(done -> {
      GraphClient client = client(thread);
      // its checkpoints go too: another member's server, or this one after a restart, must not find it again
      return client == null ? Future.<Void>succeededFuture() : client.deleteThread(thread.threadId)
          .recover(failure -> isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
    }).compose(deleted -> registry.delete(thread)).onComplete(deleted -> {
      if (deleted.failed()) {
        ctx.fail(ApiException.of(deleted.cause()));
        return;
      }
      ctx.response().setStatusCode(204).end();
    });
  }

  /**
   * LangGraph Server's thread copy: a new thread (a new id, the original's metadata with {@code thread_id} set to the
   * new id, as LangGraph does) holding a copy of the original's checkpoint history ({@link GraphClient#copyThread});
   * the new Thread. A thread with no checkpoint yet gets a copy of its record only.
   */
  private void copy(RoutingContext ctx) {
    ThreadRecord original = thread(ctx);
    Bodies.onlyKnown(Bodies.object(ctx), Set.of(), "a thread copy (it takes no body)");
    String copyId = Ids.uuid7();
    JsonObject metadata = original.metadata.copy().put("thread_id", copyId);
    ThreadRecord copy = registry.addThread(copyId, original.owner, metadata);
    copy.graphId = original.graphId;
    GraphClient client = client(original);
    Future<ThreadState> copied = client == null ? Future.succeededFuture()
        : client.copyThread(original.threadId, copyId)
            .recover(failure -> isNotFound(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
    copied.onComplete(done -> {
      if (done.failed()) {
        registry.removeThread(copyId);
        ctx.fail(ApiException.of(done.cause()));
        return;
      }
      ThreadState state = done.result();
      if (state != null) {
        copy.values = state.values().toJson();
        copy.interrupts = Interrupts.of(state.interrupts());
        copy.status = ThreadRecord.statusOf(state);
      }
      registry.save(copy).onComplete(saved -> ctx.json(copy.toJson()));
    });
  }

  private void search(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, SEARCH_FIELDS, "a thread search");
    ThreadQuery query = query(ctx, body);
    List<String> select = Bodies.strings(body, "select");
    Future<Page> found;
    if (registry.shared() != null) {
      found = registry.shared().search(query).compose(page -> registry.shared().count(query)
          .map(total -> new Page(page, total)));
    } else {
      List<ThreadRecord> all = local(query);
      found = Future.succeededFuture(new Page(all.stream().skip(query.offset()).limit(query.limit()).toList(),
          all.size()));
    }
    found.onComplete(page -> {
      if (page.failed()) {
        ctx.fail(page.cause() instanceof ApiException ? page.cause() : new ApiException(503,
            "The shared thread records could not be searched: " + page.cause().getMessage()));
        return;
      }
      PageHeaders.set(ctx, page.result().total(), query.offset(), page.result().threads().size());
      JsonArray threads = new JsonArray();
      for (ThreadRecord thread : page.result().threads()) {
        JsonObject json = shown(thread);
        if (select != null && !select.isEmpty()) {
          json.fieldNames().removeIf(field -> !select.contains(field));
        }
        threads.add(json);
      }
      ctx.json(threads);
    });
  }

  /** A page of a thread search and the number of threads matching it before paging. */
  private record Page(List<ThreadRecord> threads, long total) {
  }

  private void count(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, Set.of("metadata", "values", "status"), "a thread count");
    ThreadQuery query = query(ctx, body);
    Future<Integer> counted = registry.shared() != null ? registry.shared().count(query)
        : Future.succeededFuture(local(query).size());
    counted.onComplete(count -> {
      if (count.failed()) {
        ctx.fail(count.cause() instanceof ApiException ? count.cause() : new ApiException(503,
            "The shared thread records could not be counted: " + count.cause().getMessage()));
        return;
      }
      ctx.json(count.result());
    });
  }

  /** The search (or count) a body asks for, for the caller. */
  private ThreadQuery query(RoutingContext ctx, JsonObject body) {
    JsonObject metadata = Bodies.object(body, "metadata");
    JsonObject values = Bodies.object(body, "values");
    String status = Bodies.oneOf(body, "status", null, List.of("idle", "busy", "interrupted", "error"));
    List<String> ids = Bodies.strings(body, "ids");
    int limit = Bodies.integer(body, "limit", 10, 1, 10_000);
    int offset = Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE);
    String sortBy = Bodies.oneOf(body, "sort_by", "created_at",
        List.of("thread_id", "status", "created_at", "updated_at"));
    String sortOrder = Bodies.oneOf(body, "sort_order", "desc", List.of("asc", "desc"));
    return new ThreadQuery(Auth.user(ctx), ids, metadata, values, status, sortBy, "asc".equals(sortOrder), limit,
        offset, new java.util.HashSet<>(runs.entrypoints().names()));
  }

  /** The threads of this server's registry that match {@code query}, in its order (not paged). */
  private List<ThreadRecord> local(ThreadQuery query) {
    List<ThreadRecord> found = new ArrayList<>();
    for (ThreadRecord thread : registry.threads(query.user())) {
      if (query.matches(thread)) {
        found.add(thread);
      }
    }
    Comparator<ThreadRecord> order = order(query.sortBy()).thenComparing(thread -> thread.threadId);
    found.sort(query.ascending() ? order : order.reversed());
    return found;
  }

  private static Comparator<ThreadRecord> order(String sortBy) {
    switch (sortBy) {
      case "thread_id":
        return Comparator.comparing(thread -> thread.threadId);
      case "status":
        return Comparator.comparing(thread -> thread.status);
      case "updated_at":
        return Comparator.comparing(thread -> thread.updatedAt);
      default:
        return Comparator.comparing(thread -> thread.createdAt);
    }
  }

  /** Whether {@code object} holds every entry of {@code filter} (LangGraph's metadata / values filters). */
  static boolean contains(JsonObject object, JsonObject filter) {
    if (filter == null) {
      return true;
    }
    for (Map.Entry<String, Object> entry : filter) {
      if (!java.util.Objects.equals(object.getValue(entry.getKey()), entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The graph client of a thread; {@code null} when no run or metadata has named its graph yet. */
  private GraphClient client(ThreadRecord thread) {
    return thread.graphId == null ? null : Owned.client(clients.get(thread.graphId), thread.owner);
  }

  static boolean isNotFound(Throwable failure) {
    return failure instanceof GraphloopException && ((GraphloopException) failure).code() == FailureCode.UNKNOWN_TARGET;
  }

  /** {@code thread} as the API shows it: an entrypoint's graph's values in LangGraph's form ({@link EntrypointValues}). */
  private JsonObject shown(ThreadRecord thread) {
    return shown(thread, thread.toJson());
  }

  /** {@code json} (a thread) with its values as LangGraph shows an entrypoint's. */
  private JsonObject shown(ThreadRecord thread, JsonObject json) {
    if (runs.entrypoints().shows(thread.graphId) && json.getValue("values") instanceof JsonObject) {
      json.put("values", EntrypointValues.values(json.getJsonObject("values")));
    }
    return json;
  }
}
