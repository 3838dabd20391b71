package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /runs/cancel} (LangGraph Server's "Cancel Runs", the SDKs' {@code runs.cancel_many} /
 * {@code runs.cancelMany}): cancels several runs of the caller at once, with {@code ?action=interrupt} (default) or
 * {@code rollback}, named by {@code thread_id} and {@code run_ids} (every one must exist for the caller on that
 * thread, else 404 and nothing is cancelled), or by {@code status} ({@code pending}, {@code running} or {@code all}
 * of the active runs; with {@code thread_id}, that thread's only). Runs that have already ended (also those that end
 * before their cancel reaches them) are left as they are. Answers 204 once every cancel is sent; when a run's cancel
 * fails otherwise (its server does not answer: 503), the answer is that failure's status with a detail naming the
 * runs not cancelled (the others stay cancelled: a cancel cannot be taken back). With shared records, runs other
 * servers follow are cancelled there
 * ({@link PeerRuns}), and a status filter sees at most {@link ServerOptions#getMaxRuns} of them.
 *
 * <p>Thread rules: handlers run on the server verticle's context.
 */
final class RunsCancel {

  private static final Set<String> FIELDS = Set.of("thread_id", "run_ids", "status");
  private static final List<String> STATUSES = List.of(RunRecord.PENDING, RunRecord.RUNNING, "all");
  /** At most this many runs not cancelled are named in a failure's detail. */
  private static final int MAX_NAMED = 10;

  private final Registry registry;
  private final RunService runs;
  private final PeerRuns peers;
  private final int maxRuns;

  RunsCancel(Registry registry, RunService runs, PeerRuns peers, int maxRuns) {
    this.registry = registry;
    this.runs = runs;
    this.peers = peers;
    this.maxRuns = maxRuns;
  }

  void mount(Router router) {
    router.post("/runs/cancel").handler(this::cancel);
  }

  /** A run to cancel: followed here, or by another server. */
  private record Target(RunRecord local, StoredRun stored) {

    String runId() {
      return local != null ? local.runId : stored.runId();
    }
  }

  private void cancel(RoutingContext ctx) {
    String action = Bodies.cancelAction(ctx.request().getParam("action"));
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, FIELDS, "a runs cancel request");
    String threadId = Bodies.string(body, "thread_id");
    List<String> runIds = Bodies.strings(body, "run_ids");
    String status = Bodies.oneOf(body, "status", null, STATUSES);
    if (status == null && (threadId == null || runIds == null)) {
      throw ApiException.invalid("A runs cancel request names either 'status' (pending, running or all) or both "
          + "'thread_id' and 'run_ids'.");
    }
    if (status != null && runIds != null) {
      throw ApiException.invalid("A runs cancel request names either 'status' or 'run_ids', not both.");
    }
    String user = Auth.user(ctx);
    (threadId == null ? Future.<Void>succeededFuture() : registry.findThread(threadId, user))
        .compose(known -> runIds != null ? byIds(threadId, runIds, user) : byStatus(threadId, status, user))
        .compose(found -> {
      List<Future<Void>> sent = new ArrayList<>();
      for (Target target : found) {
        sent.add(runs.cancel(target.local(), target.stored(), action, false).recover(failure ->
            RunService.endedMeanwhile(failure) ? Future.succeededFuture() : Future.failedFuture(failure)));
      }
      return Future.join(sent).transform(all -> outcome(found, sent));
    }).onSuccess(all -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /**
   * Succeeds when every cancel in {@code sent} (one per run of {@code found}) succeeded; else fails with the status
   * of the first failure (503 for a server that did not answer) and a detail that names each run not cancelled and
   * says that the others were.
   */
  private static Future<Void> outcome(List<Target> found, List<Future<Void>> sent) {
    List<String> failed = new ArrayList<>();
    ApiException first = null;
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).failed()) {
        ApiException failure = ApiException.of(sent.get(i).cause());
        first = first == null ? failure : first;
        if (failed.size() < MAX_NAMED) {
          failed.add("run '" + found.get(i).runId() + "': " + failure.getMessage());
        }
      }
    }
    if (first == null) {
      return Future.succeededFuture();
    }
    long count = sent.stream().filter(Future::failed).count();
    String more = count > failed.size() ? "; and " + (count - failed.size()) + " more" : "";
    return Future.failedFuture(new ApiException(first.status(), count + " of " + sent.size() + " runs could not be "
        + "cancelled and may still be running (" + String.join("; ", failed) + more + "). "
        + (sent.size() > count ? "The other " + (sent.size() - count) + " were cancelled. " : "")
        + "Retry the request for the runs not cancelled."));
  }

  private Future<List<Target>> byIds(String threadId, List<String> runIds, String user) {
    ThreadStore shared = registry.shared();
    List<Future<Target>> found = new ArrayList<>();
    for (String runId : runIds) {
      RunRecord local = registry.localRun(runId);
      if (local != null && Objects.equals(local.threadId, threadId) && Registry.visible(local.owner, user)) {
        found.add(Future.succeededFuture(new Target(local, null)));
      } else if (shared != null) {
        found.add(shared.getRun(runId).map(stored -> stored != null && threadId.equals(stored.threadId())
            && Registry.visible(stored.owner(), user) ? new Target(null, stored) : null));
      } else {
        found.add(Future.succeededFuture());
      }
    }
    return Future.all(found).compose(all -> {
      List<Target> active = new ArrayList<>();
      for (int i = 0; i < found.size(); i++) {
        Target target = found.get(i).result();
        if (target == null) {
          return Future.failedFuture(ApiException.notFound("Run '" + runIds.get(i) + "' of thread '" + threadId
              + "'"));
        }
        if (target.local() != null ? target.local().isActive() : target.stored().isActive()) {
          active.add(target);
        }
      }
      return Future.succeededFuture(active);
    });
  }

  private Future<List<Target>> byStatus(String threadId, String status, String user) {
    Map<String, Target> found = new LinkedHashMap<>();
    for (RunRecord run : threadId != null ? registry.activeRunsOf(threadId) : registry.activeRuns()) {
      if (Registry.visible(run.owner, user) && matches(run.status(), status)) {
        found.put(run.runId, new Target(run, null));
      }
    }
    ThreadStore shared = registry.shared();
    if (shared == null || peers == null) {
      return Future.succeededFuture(new ArrayList<>(found.values()));
    }
    Future<List<StoredRun>> stored = threadId != null ? shared.activeRunsOf(threadId) : shared.activeRuns(maxRuns);
    return stored.map(list -> {
      for (StoredRun run : list) {
        if (!found.containsKey(run.runId()) && registry.localRun(run.runId()) == null
            && Registry.visible(run.owner(), user) && matches(run.status(), status)) {
          found.put(run.runId(), new Target(null, run));
        }
      }
      return new ArrayList<>(found.values());
    });
  }

  private static boolean matches(String runStatus, String wanted) {
    return "all".equals(wanted) || wanted.equals(runStatus);
  }
}
