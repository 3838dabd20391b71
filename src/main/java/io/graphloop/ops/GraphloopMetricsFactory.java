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
 * (the same {@code vertx_eventbus_*} series, with meters resolved once instead of per message) and everything else
 * (HTTP server and client, pools, TCP) by Vert.x's own implementation. {@link PrometheusMetrics#vertxBuilder} uses it.
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
  }

  @Override
  public VertxMetrics metrics(VertxOptions vertxOptions) {
    MetricsOptions metricsOptions = vertxOptions.getMetricsOptions();
    MicrometerMetricsOptions options = metricsOptions instanceof MicrometerMetricsOptions micrometer ? micrometer
        : new MicrometerMetricsOptions(metricsOptions.toJson());
    boolean eventBus = options.getDisabledMetricsCategories() == null
        || !options.getDisabledMetricsCategories().contains(MetricsDomain.EVENT_BUS.toCategory());
    return new Metered(super.metrics(vertxOptions), eventBus ? registry : null, options);
  }

  /** Vert.x's metrics, forwarded, but for the event bus's. */
  private static final class Metered implements VertxMetrics {
    private final VertxMetrics vertx;
    private final MeterRegistry eventBusRegistry;
    private final MicrometerMetricsOptions options;

    Metered(VertxMetrics vertx, MeterRegistry eventBusRegistry, MicrometerMetricsOptions options) {
      this.vertx = vertx;
      this.eventBusRegistry = eventBusRegistry;
      this.options = options;
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return eventBusRegistry == null ? null : new EventBusMeters(eventBusRegistry, options.getMetricsNaming());
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions serverOptions, SocketAddress local) {
      return vertx.createHttpServerMetrics(serverOptions, local);
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
