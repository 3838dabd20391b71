package io.graphloop.ops;

import io.graphloop.errors.MissingDependencyException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Prometheus metrics for an application that embeds Graphloop: a registry, and a Vert.x whose own metrics (event bus,
 * HTTP server and client, pools) go to the same registry, so one scrape shows both.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = PrometheusMetrics.registry();
 * Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
 * GraphRuntime.deploy(vertx, graph).onSuccess(runtime -> GraphloopMeters.bind(registry, runtime));
 * String text = registry.scrape();   // Prometheus text format
 * }</pre>
 *
 * <p>Needs the optional dependencies {@code io.vertx:vertx-micrometer-metrics} and
 * {@code io.micrometer:micrometer-registry-prometheus} (1.15.10, the Micrometer version of the Vert.x stack); without
 * them {@link #requireAvailable} throws a {@link MissingDependencyException} naming the artifact.
 *
 * <p>Thread rules: static and stateless; the registry it returns is thread-safe.
 */
public final class PrometheusMetrics {

  /** The Micrometer class that tells whether micrometer-core is present. */
  static final String MICROMETER_CLASS = "io.micrometer.core.instrument.MeterRegistry";
  /** The Prometheus registry class of micrometer-registry-prometheus. */
  static final String PROMETHEUS_CLASS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
  /** Vert.x's Micrometer metrics factory. */
  static final String VERTX_MICROMETER_CLASS = "io.vertx.micrometer.MicrometerMetricsFactory";

  /** Numbers the Vert.x instances built here, for their registry names. */
  private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();

  private PrometheusMetrics() {
  }

  /**
   * Checks that the optional dependencies are on the classpath.
   *
   * @param prometheus whether the Prometheus registry is needed too (not for binding to another registry)
   * @throws MissingDependencyException naming the missing artifact
   */
  public static void requireAvailable(boolean prometheus) {
    MissingDependencyException.require(MICROMETER_CLASS, "io.micrometer:micrometer-core", "Graphloop's metrics");
    if (prometheus) {
      MissingDependencyException.require(VERTX_MICROMETER_CLASS, "io.vertx:vertx-micrometer-metrics",
          "Prometheus metrics");
      MissingDependencyException.require(PROMETHEUS_CLASS, "io.micrometer:micrometer-registry-prometheus",
          "Prometheus metrics");
    }
  }

  /** A new Prometheus registry. */
  public static PrometheusMeterRegistry registry() {
    requireAvailable(true);
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * A builder of a Vert.x instance whose own metrics go to {@code registry}: event bus (messages sent, pending,
   * handlers: {@code vertx_eventbus_*}, totals over all addresses, no address label: README "Operations"), HTTP
   * server and client requests, pools. {@code options} is copied (its metrics options are replaced). Each Vert.x
   * built here sends its metrics to its own {@code registry}, also with several in one JVM.
   */
  public static VertxBuilder vertxBuilder(VertxOptions options, PrometheusMeterRegistry registry) {
    requireAvailable(true);
    // a registry name of its own: vertx-micrometer-metrics keeps one backend per name, JVM-wide, and a second Vert.x
    // under the default name would send its metrics to the first one's registry, not to this one
    VertxOptions copy = new VertxOptions(options).setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("graphloop-" + INSTANCES.incrementAndGet()));
    return io.vertx.core.Vertx.builder().with(copy).withMetrics(new GraphloopMetricsFactory(registry));
  }
}
