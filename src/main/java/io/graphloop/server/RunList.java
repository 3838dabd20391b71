package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /threads/{thread_id}/runs}: a thread's runs, newest first, with {@code limit}, {@code offset},
 * {@code status} and {@code select}; with shared records every server's runs of the thread (moved out of
 * {@link RunRoutes}, unchanged).
 *
 * <p>Thread rules: called on the server verticle's context, where the registry lives (the router hands the thread
 * routes there, see {@link ServerVerticle}).
 */
final class RunList {

  private final Registry registry;

  RunList(Registry registry) {
    this.registry = registry;
  }

  void list(RoutingContext ctx) {
    String threadId = ctx.pathParam("thread_id");
    registry.requireThread(threadId, Auth.user(ctx));
    int limit = Bodies.intParam(ctx.request().getParam("limit"), "limit", 10, 1, 10_000);
    int offset = Bodies.intParam(ctx.request().getParam("offset"), "offset", 0, 0, Integer.MAX_VALUE);
    String status = ctx.request().getParam("status");
    List<String> select = select(ctx);
    ThreadStore shared = registry.shared();
    if (shared != null) { // every server's runs of the thread, after this server's saves of its own
      registry.runsSaved(threadId).compose(saved -> shared.runsOf(threadId, status, limit, offset))
          .onSuccess(stored -> {
            JsonArray page = new JsonArray();
            for (StoredRun run : stored) {
              RunRecord local = registry.localRun(run.runId());
              page.add(selected(local != null ? local.toJson() : run.toJson(), select));
            }
            ctx.json(page);
          })
          .onFailure(failure -> ctx.fail(new ApiException(503, "The shared run records could not be read: "
              + failure.getMessage())));
      return;
    }
    List<RunRecord> all = registry.runsOf(threadId);
    JsonArray page = new JsonArray();
    int skipped = 0;
    for (int i = all.size() - 1; i >= 0 && page.size() < limit; i--) {
      RunRecord run = all.get(i);
      if (status == null || status.equals(run.status())) {
        if (skipped++ >= offset) {
          page.add(selected(run.toJson(), select));
        }
      }
    }
    ctx.json(page);
  }

  private static final List<String> RUN_FIELDS = List.of("run_id", "thread_id", "assistant_id", "created_at",
      "updated_at", "status", "metadata", "kwargs", "multitask_strategy");

  /** The runs list's {@code select} (repeated or comma-separated), or {@code null}; 422 for an unknown field. */
  private static List<String> select(RoutingContext ctx) {
    List<String> fields = new ArrayList<>();
    for (String value : ctx.queryParam("select")) {
      for (String field : value.split(",")) {
        String name = field.trim();
        if (!name.isEmpty() && !RUN_FIELDS.contains(name)) {
          throw ApiException.invalid("Unknown field '" + name + "' in parameter 'select'; a run's fields are "
              + RUN_FIELDS + ".");
        }
        if (!name.isEmpty()) {
          fields.add(name);
        }
      }
    }
    return fields.isEmpty() ? null : fields;
  }

  private static JsonObject selected(JsonObject run, List<String> select) {
    if (select == null) {
      return run;
    }
    JsonObject kept = new JsonObject();
    select.forEach(field -> kept.put(field, run.getValue(field)));
    return kept;
  }
}
