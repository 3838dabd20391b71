package io.graphloop.ops;

import io.graphloop.errors.MissingDependencyException;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether this member is ready for work, as orchestrators ask it (Kubernetes' readiness probe): every graph deployed
 * here is deployed and not draining, each graph's checkpoint store answers a read, and a clustered member is an active
 * member of its cluster. Built on vertx-health-check's {@link HealthChecks}, one check per graph and one for the
 * cluster, each with a timeout; liveness is simpler (the event loop answers), see {@link OpsRoutes}.
 *
 * <pre>{@code
 * Readiness readiness = new Readiness(vertx, 2_000).add(runtime);
 * readiness.check().onSuccess(result -> System.out.println(result.getUp()));
 * }</pre>
 *
 * <p>Thread rules: thread-safe; {@link #add} from any thread; checks run on the caller's context and never block (the
 * store is read asynchronously, the cluster manager's view is local).
 */
public final class Readiness {

  /** The thread id read to see that a checkpoint store answers; no thread has it. */
  static final String PROBE_THREAD = "__graphloop_readiness_probe__";

  private final Vertx vertx;
  private final long checkTimeoutMs;
  private final HealthChecks checks;
  private final List<GraphRuntime> runtimes = new CopyOnWriteArrayList<>();
  private volatile boolean draining;

  /**
   * @param checkTimeoutMs how long one check (a store read) may take before it counts as down; more than 0
   */
  public Readiness(Vertx vertx, long checkTimeoutMs) {
    MissingDependencyException.require("io.vertx.ext.healthchecks.HealthChecks", "io.vertx:vertx-health-check",
        "Readiness checks");
    if (checkTimeoutMs <= 0) {
      throw new IllegalArgumentException("A readiness check timeout is more than 0 ms, was " + checkTimeoutMs + ".");
    }
    this.vertx = vertx;
    this.checkTimeoutMs = checkTimeoutMs;
    this.checks = HealthChecks.create(vertx);
    checks.register("member", checkTimeoutMs, this::member);
  }

  /** Adds a deployed graph: ready while it is not draining and its checkpoint store (if any) answers. */
  public Readiness add(GraphRuntime runtime) {
    runtimes.add(runtime);
    checks.register("graph." + runtime.graph().name(), checkTimeoutMs, promise -> graph(runtime, promise));
    return this;
  }

  /** Marks the whole member as draining (shutting down): not ready from now on, whatever the graphs say. */
  public void draining() {
    draining = true;
  }

  /** Whether {@link #draining()} was called. */
  public boolean isDraining() {
    return draining;
  }

  /** The checks, for vertx-web's {@code HealthCheckHandler.createWithHealthChecks}. */
  public HealthChecks healthChecks() {
    return checks;
  }

  /** Runs every check: up only if all are. */
  public Future<CheckResult> check() {
    return checks.checkStatus();
  }

  private void member(Promise<Status> promise) {
    JsonObject data = new JsonObject().put("draining", draining).put("graphs", runtimes.size());
    if (draining) {
      promise.complete(Status.KO(data.put("reason", "draining: the member is shutting down")));
      return;
    }
    if (vertx.isClustered()) {
      ClusterManager manager = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
      boolean joined = manager != null && manager.isActive() && manager.getNodes().contains(manager.getNodeId());
      data.put("clustered", true).put("joined", joined);
      if (manager != null) {
        data.put("nodeId", manager.getNodeId()).put("members", manager.getNodes().size());
      }
      promise.complete(joined ? Status.OK(data) : Status.KO(data.put("reason", "not an active member of the cluster")));
      return;
    }
    promise.complete(Status.OK(data.put("clustered", false)));
  }

  private void graph(GraphRuntime runtime, Promise<Status> promise) {
    JsonObject data = new JsonObject().put("draining", runtime.draining())
        .put("runsInFlight", runtime.metrics().runsInFlight());
    if (runtime.draining()) {
      promise.complete(Status.KO(data.put("reason", "draining")));
      return;
    }
    if (runtime.checkpointer() == null) {
      promise.complete(Status.OK(data));
      return;
    }
    data.put("checkpointer", redact(runtime.checkpointer().store().describe()));
    runtime.checkpointer().store().latest(PROBE_THREAD).onComplete(read -> promise.complete(read.succeeded()
        ? Status.OK(data)
        : Status.KO(data.put("reason", "checkpoint store unreachable: " + redact(read.cause().getMessage())))));
  }

  /**
   * {@code text} without credentials: the password of a URL's user info ({@code postgres://u:secret@db}) and the
   * value of a {@code password}, {@code secret} or {@code token} field ({@code password=x}, {@code "password":"x"})
   * become {@code ***}. Readiness answers without authentication, so what a store says of itself is redacted
   * (Graphloop's own stores leave passwords out; another store might not).
   */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    return text.replaceAll("(://[^/:@\\s]*:)[^@\\s/]*@", "$1***@")
        .replaceAll("(?i)(\"?(?:password|passwd|pwd|secret|token)\"?\\s*[=:]\\s*\"?)[^\"&;,\\s}]+", "$1***");
  }
}
