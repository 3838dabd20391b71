package io.graphloop.ops;

import io.graphloop.errors.MissingDependencyException;
import io.graphloop.runtime.GraphRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What {@code serve} and {@code member} add for operators, in one place: a Vert.x with Prometheus metrics (when
 * {@link OpsOptions#isMetrics}), meters and readiness for each deployed graph, the HTTP endpoints, and the graceful
 * shutdown: {@link #shutdown} marks the member not ready, stops the graphs admitting runs, waits up to
 * {@code drainTimeoutMs} for the runs in flight, then undeploys the graphs (flushing and closing their stores) and
 * closes Vert.x (which leaves the cluster).
 *
 * <pre>{@code
 * Operations ops = new Operations(new OpsOptions());
 * Vertx vertx = ops.vertxBuilder(new VertxOptions()).build();
 * ops.start(vertx);
 * GraphRuntime.deploy(vertx, graph).onSuccess(ops::attach);
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> ops.shutdown(System.err)));
 * }</pre>
 *
 * <p>{@link #of(Vertx)} finds the operations started on a Vert.x instance (how {@link OpsExtension} reaches them from
 * {@code serve}'s HTTP server).
 *
 * <p>Thread rules: thread-safe. {@link #shutdown} blocks (bounded) and must run on a plain thread such as a JVM
 * shutdown hook, never on an event loop.
 */
public final class Operations {

  /** Closing Vert.x after the drain may take this long more. */
  static final long CLOSE_TIMEOUT_SECONDS = 30;

  private static final Map<Vertx, Operations> STARTED = new ConcurrentHashMap<>();

  private final OpsOptions options;
  private final PrometheusMeterRegistry registry;
  private final List<GraphRuntime> runtimes = new CopyOnWriteArrayList<>();
  private final List<GraphloopMeters> meters = new CopyOnWriteArrayList<>();
  private volatile Vertx vertx;
  private volatile Readiness readiness;
  /** The tracing SDK when {@code ops.tracing} names an endpoint, else {@code null}. */
  private final io.opentelemetry.sdk.OpenTelemetrySdk tracing;

  /**
   * @throws MissingDependencyException when metrics are on and Micrometer or the Prometheus registry is missing, or
   *                                    vertx-health-check is missing
   */
  public Operations(OpsOptions options) {
    MissingDependencyException.require("io.vertx.ext.healthchecks.HealthChecks", "io.vertx:vertx-health-check",
        "Readiness checks");
    if (options.isMetrics()) {
      PrometheusMetrics.requireAvailable(true);
    }
    this.options = options;
    this.registry = options.isMetrics() ? PrometheusMetrics.registry() : null;
    this.tracing = options.getTracing().isEnabled() ? OtlpTracing.sdk(options.getTracing()) : null;
  }

  /** The operations {@link #start started} on {@code vertx}, or {@code null}. */
  public static Operations of(Vertx vertx) {
    return STARTED.get(vertx);
  }

  /** A builder of the Vert.x to use: with metrics to the registry when they are on, else plain. */
  public VertxBuilder vertxBuilder(VertxOptions vertxOptions) {
    VertxBuilder builder = registry == null ? Vertx.builder().with(vertxOptions)
        : PrometheusMetrics.vertxBuilder(vertxOptions, registry);
    return tracing == null ? builder
        : builder.withTracer(new io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory(tracing));
  }

  /** Starts readiness on {@code vertx} (the one built from {@link #vertxBuilder}) and its event-bus address. */
  public Future<Void> start(Vertx vertx) {
    if (this.vertx != null) {
      return Future.failedFuture(new IllegalStateException("Operations were started already."));
    }
    this.vertx = vertx;
    this.readiness = new Readiness(vertx, options.getReadinessTimeoutMs());
    STARTED.put(vertx, this);
    if (tracing != null) {
      GraphloopTracing.install(vertx, tracing);
    }
    return OpsRoutes.serveOnBus(vertx, readiness).mapEmpty();
  }

  /**
   * Serves the endpoints on {@link OpsOptions#getPort} of {@code host} when a port is set.
   *
   * @return the port it listens on, or {@code null} when no port is set
   */
  public Future<Integer> listen(String host) {
    if (options.getPort() == null) {
      return Future.succeededFuture();
    }
    OpsServer server = new OpsServer(host, options.getPort(), readiness(), registry);
    return vertx.deployVerticle(server).map(id -> server.actualPort());
  }

  /** Adds a deployed graph: its meters (when metrics are on) and its readiness check. Call after {@link #start}. */
  public void attach(GraphRuntime runtime) {
    if (readiness == null) {
      throw new IllegalStateException("Operations.start(vertx) must be called before attach(runtime).");
    }
    runtimes.add(runtime);
    readiness.add(runtime);
    if (registry != null) {
      meters.add(GraphloopMeters.bind(registry, runtime));
    }
  }

  /** Mounts {@code /health/live} and {@code /health/ready} (no credentials needed). */
  public void mountHealth(Router router) {
    OpsRoutes.mountHealth(router, readiness());
  }

  /** Mounts {@code /metrics} when metrics are on. */
  public void mountMetrics(Router router) {
    if (registry != null) {
      OpsRoutes.mountMetrics(router, registry);
    }
  }

  /** The registry, or {@code null} when metrics are off. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The readiness checks. @throws IllegalStateException before {@link #start} */
  public Readiness readiness() {
    Readiness current = readiness;
    if (current == null) {
      throw new IllegalStateException("Operations.start(vertx) was not called.");
    }
    return current;
  }

  /** The options. */
  public OpsOptions options() {
    return options;
  }

  /**
   * The graceful shutdown: not ready, no new runs, the runs in flight finish (up to {@code drainTimeoutMs}), then the
   * graphs are undeployed (runs still in flight fail as draining, FailureCode.DRAINING; a run on a thread keeps its last checkpoint and can
   * be resumed; the stores flush and close) and Vert.x closes. Reports each stage on {@code log} ("draining: ...",
   * "drained: ..."). Blocks the calling thread, bounded by {@code drainTimeoutMs} plus twice
   * {@value #CLOSE_TIMEOUT_SECONDS} s. Calls after the first return at once.
   *
   * @return the runs still in flight when the drain ended, or -1 when something did not close cleanly in time
   */
  public synchronized int shutdown(PrintStream log) {
    Vertx current = vertx;
    if (current == null || !STARTED.remove(current, this)) {
      return 0;
    }
    readiness.draining();
    int inFlight = 0;
    for (GraphRuntime runtime : runtimes) {
      inFlight += runtime.metrics().runsInFlight();
    }
    log.println("draining: " + inFlight + " runs in flight, waiting up to " + options.getDrainTimeoutMs() + " ms");
    log.flush();
    List<Future<Integer>> drains = new ArrayList<>();
    for (GraphRuntime runtime : runtimes) {
      drains.add(runtime.drain(options.getDrainTimeoutMs()));
    }
    boolean clean = true;
    int left = 0;
    try {
      Future.join(drains).toCompletionStage().toCompletableFuture()
          .get(options.getDrainTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
      for (Future<Integer> drain : drains) {
        left += drain.succeeded() ? drain.result() : 0;
      }
    } catch (Exception e) {
      log.println("drain did not end in time: " + e);
      clean = false;
    }
    log.println("drained: " + left + " runs still in flight" + (left == 0 ? "" : " (they fail as draining; those on "
        + "threads can be resumed from their last checkpoint)"));
    log.flush();
    meters.forEach(GraphloopMeters::close);
    List<Future<Void>> undeployed = new ArrayList<>();
    runtimes.forEach(runtime -> undeployed.add(runtime.undeploy())); // closes the stores they opened (flushes them)
    try {
      Future.all(undeployed).toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.println("the graphs did not undeploy cleanly within " + CLOSE_TIMEOUT_SECONDS + " s: " + e);
      clean = false;
    }
    try {
      current.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.println("Vert.x did not close within " + CLOSE_TIMEOUT_SECONDS + " s: " + e);
      clean = false;
    }
    if (tracing != null && !tracing.shutdown().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      log.println("the last spans were not exported within " + CLOSE_TIMEOUT_SECONDS + " s");
    }
    log.flush();
    return clean ? left : -1;
  }
}
