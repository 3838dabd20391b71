package io.graphloop.server;

import io.vertx.ext.web.Router;

/**
 * The LangGraph Server endpoints {@code serve} does not implement, each answered with LangGraph's error body
 * {@code {"detail": "..."}} and status 501, naming what is not supported and what to use instead, so an SDK method
 * that calls one fails at once with a clear error (never a 404 that reads as a missing thread, a 500, or a hang):
 * crons ({@code client.crons.*}), thread pruning ({@code client.threads.prune}) and the thread-centric streaming
 * protocol ({@code client.threads.stream}, LangGraph SDK 0.4's "v3": {@code POST /threads/{id}/commands} and
 * {@code /threads/{id}/stream/events}).
 *
 * <p>Thread rules: its handlers run on the HTTP server's event loops; they keep no state.
 */
final class UnsupportedRoutes {

  private UnsupportedRoutes() {
  }

  /** Mounts the routes on {@code router}: before the catch-all 404, after the thread routes. */
  static void mount(Router router) {
    router.route("/runs/crons*").handler(ctx -> ctx.fail(crons()));
    router.route("/threads/:thread_id/runs/crons").handler(ctx -> ctx.fail(crons()));
    router.post("/threads/prune").handler(ctx -> ctx.fail(new ApiException(501, "Pruning threads "
        + "(POST /threads/prune) is not supported by this server: delete a thread with DELETE /threads/{thread_id}, "
        + "or give threads a ttl when you create or update them.")));
    router.route("/threads/:thread_id/commands").handler(ctx -> ctx.fail(protocol()));
    router.route("/threads/:thread_id/stream/events").handler(ctx -> ctx.fail(protocol()));
  }

  private static ApiException crons() {
    return new ApiException(501, "Crons are not supported yet.");
  }

  private static ApiException protocol() {
    return new ApiException(501, "The thread streaming protocol (POST /threads/{thread_id}/commands and "
        + "/threads/{thread_id}/stream/events, the LangGraph SDK's threads.stream) is not supported by this server: "
        + "start runs with POST /threads/{thread_id}/runs/stream, join them with GET "
        + "/threads/{thread_id}/runs/{run_id}/stream or GET /threads/{thread_id}/stream.");
  }
}
