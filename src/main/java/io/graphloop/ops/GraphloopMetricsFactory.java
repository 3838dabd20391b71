package io.graphloop.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x's Micrometer metrics ({@link MicrometerMetricsFactory}) with the event bus measured by {@link EventBusMeters}
 * (the same {@code vertx_eventbus_*} series, with meters resolved once instead of per message), the HTTP server's
 * series by {@link HttpServerMeters} (the same {@code vertx_http_server_*} series, meters resolved once per method
 * and status code instead of per request, the connection gauge registered once instead of per connection) and
 * everything else (HTTP client, pools, TCP) by Vert.x's own implementation. {@link PrometheusMetrics#vertxBuilder} uses it.
 *
 * <p>vertx-micrometer-metrics' {@code MetricsService} gives no snapshot of such a Vert.x (it needs its own class,
 * which this wraps and which its module does not export): read the registry itself ({@code registry.scrape()},
 * {@code registry.getMeters()}).
 *
 * <p>Thread rules: the factory is called once per Vert.x instance, by its builder; the metrics it returns are called
 * by Vert.x from any thread (see {@link EventBusMeters}).
 */
final class GraphloopMetricsFactory extends MicrometerMetricsFactory {

  private final MeterRegistry registry;

  GraphloopMetricsFactory(MeterRegistry registry) {
    super(registry);
    this.registry = registry;
    quietVertxGaugeReRegistrations();
  }

  /** Micrometer's logger of its registries' warnings (java.util.logging when no SLF4J provider is present). */
  private static final java.util.logging.Logger MICROMETER_LOG =
      java.util.logging.Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  private static final String VERTX_GAUGE_AGAIN = "This Gauge has been already registered (MeterId{name='vertx.";

  /**
   * Drops Micrometer's warning "This Gauge has been already registered (MeterId{name='vertx. ..." and nothing else.
   * vertx-micrometer-metrics 5 registers a gauge ({@code vertx_http_server_active_connections} when Vert.x measures
   * the HTTP server, see {@link HttpServerMeters}; a pool's {@code vertx_pool_queue_pending}, ...) again at every new
   * connection or request, each registration sharing one counter (so the values are right), and Micrometer since
   * 1.13.9 warns at the second one, once per JVM, then logs at debug level (vert-x3/vertx-micrometer-metrics#259,
   * open): harmless. Installed once per JVM, on the JDK logger Micrometer writes to without an SLF4J provider (as in
   * the fat jar); another filter already there still applies. With SLF4J, the warning of such a gauge still shows
   * once; {@code serve}'s HTTP server registers its gauges once and does not cause it.
   */
  private static synchronized void quietVertxGaugeReRegistrations() {
    java.util.logging.Filter previous = MICROMETER_LOG.getFilter();
    if (previous instanceof VertxGaugeAgain) {
      return;
    }
    MICROMETER_LOG.setFilter(new VertxGaugeAgain(previous));
  }

  /** The filter of {@link #quietVertxGaugeReRegistrations}. */
  private record VertxGaugeAgain(java.util.logging.Filter previous) implements java.util.logging.Filter {
    @Override
    public boolean isLoggable(java.util.logging.LogRecord record) {
      String message = record.getMessage();
      return (message == null || !message.startsWith(VERTX_GAUGE_AGAIN))
          && (previous == null || previous.isLoggable(record));
    }
  }

  @Override
  public VertxMetrics metrics(VertxOptions vertxOptions) {
    MetricsOptions metricsOptions = vertxOptions.getMetricsOptions();
    MicrometerMetricsOptions options = metricsOptions instanceof MicrometerMetricsOptions micrometer ? micrometer
        : new MicrometerMetricsOptions(metricsOptions.toJson());
    boolean eventBus = options.getDisabledMetricsCategories() == null
        || !options.getDisabledMetricsCategories().contains(MetricsDomain.EVENT_BUS.toCategory());
    return new Metered(super.metrics(vertxOptions), registry, eventBus, options);
  }

  /** Vert.x's metrics, forwarded, but for the event bus's and the HTTP server's request meters. */
  private static final class Metered implements VertxMetrics {
    private final VertxMetrics vertx;
    private final MeterRegistry registry;
    private final boolean eventBus;
    private final MicrometerMetricsOptions options;

    Metered(VertxMetrics vertx, MeterRegistry registry, boolean eventBus, MicrometerMetricsOptions options) {
      this.vertx = vertx;
      this.registry = registry;
      this.eventBus = eventBus;
      this.options = options;
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return eventBus ? new EventBusMeters(registry, options.getMetricsNaming()) : null;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions serverOptions, SocketAddress local) {
      return HttpServerMeters.of(vertx.createHttpServerMetrics(serverOptions, local), registry, options);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
      return vertx.createClientMetrics(remote, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions clientOptions) {
      return vertx.createHttpClientMetrics(clientOptions);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions serverOptions, SocketAddress local) {
      return vertx.createNetServerMetrics(serverOptions, local);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions clientOptions) {
      return vertx.createNetClientMetrics(clientOptions);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions socketOptions) {
      return vertx.createDatagramSocketMetrics(socketOptions);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return vertx.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(Vertx created) {
      vertx.vertxCreated(created);
    }

    @Override
    public boolean isMetricsEnabled() {
      return vertx.isMetricsEnabled();
    }

    @Override
    public void close() {
      vertx.close();
    }
  }
}
