package io.graphloop.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Collection;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's HTTP server request metrics ({@code vertx_http_server_*}: the families, names, descriptions and labels of
 * vertx-micrometer-metrics 5) with each meter resolved once per method (and status code) instead of per request.
 * Vert.x's own implementation, per request, builds the request's tags, registers the active-requests gauge again,
 * starts a timer sample, and looks four meters up in the registry (a meter id and its tags built, a registry map read
 * each): 5.6% of {@code serve}'s event-loop CPU for 10,000 streams (issue 13, BENCHMARKS.md). Here a request reads a
 * small cache (per method; per status code under it) and increments what it finds.
 *
 * <p>The connection-level series ({@code vertx_http_server_active_connections}, {@code _bytes_read_total},
 * {@code _bytes_written_total}, {@code _errors_total}) are measured here too, with the same names, descriptions and
 * (then empty) tags: Vert.x's registers the active-connections gauge again at every new connection, sharing one
 * counter (so its value is right) but making Micrometer log "This Gauge has been already registered" through whatever
 * logger it finds (SLF4J's when an application has it: vert-x3/vertx-micrometer-metrics#259, open); here the gauge is
 * registered once per registry and the servers on it share its counter, so it counts the connections of every HTTP
 * server instance (one per event loop on one port) and nothing is logged. Used only when the series' labels are
 * bounded ones, {@code method} and {@code code} (Vert.x's default labels), and no custom server request tags are set;
 * with {@code local}, {@code remote}, {@code path} or {@code route} labels, or a tags provider, {@link #of} keeps
 * Vert.x's implementation whole (those labels' values are unbounded, so a cache of them would be too).
 *
 * <p>The series (Prometheus names; {@code method} and {@code code} as enabled): {@code vertx_http_server_requests_total
 * {code,method}}, {@code _response_time_seconds{code,method}} (timer), {@code _response_bytes{code,method}} and
 * {@code _request_bytes{method}} (summaries), {@code _active_requests{method}} and {@code _active_ws_connections}
 * (gauges), {@code _request_resets_total{method}} (from the first reset on). Each series appears at its first use,
 * as in Vert.x. As in Vert.x, a pushed response's series carry no {@code method} label (vertx-micrometer-metrics
 * drops it there).
 *
 * <p>The caches are bounded: {@value #MAX_METHODS} methods (a client can send any method name), status codes 100 to
 * 599; a request outside them is measured by looking its meters up in the registry, as Vert.x does (same series).
 *
 * <p>Thread rules: called by Vert.x from the event loops of the server's connections, concurrently; lock-free on a
 * request's path (concurrent maps, atomic arrays, adders); the gauges' state is shared per registry (several servers,
 * or several Vert.x instances, on one registry add up, as in Vert.x), created under a lock on first use.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, LongAdder, Object> {

  /** At most this many methods have cached meters; others are looked up per request. */
  static final int MAX_METHODS = 64;
  private static final int MIN_CODE = 100;
  private static final int MAX_CODE = 599;

  /** The active connections', requests' and websockets' adders, per registry, by gauge name and tags. */
  private static final Map<MeterRegistry, ConcurrentMap<GaugeKey, LongAdder>> GAUGES = new WeakHashMap<>();

  private record GaugeKey(String name, Tags tags) {
  }

  private final HttpServerMetrics<Object, Object, Object> vertx;
  private final MeterRegistry registry;
  private final ConcurrentMap<GaugeKey, LongAdder> gauges;
  private final boolean methodLabel;
  private final boolean codeLabel;
  private final String activeRequests;
  private final String requestBytes;
  private final String requestResets;
  private final String requests;
  private final String responseTime;
  private final String responseBytes;
  private final String activeWebSockets;
  private final String activeConnections;
  private final String bytesRead;
  private final String bytesWritten;
  private final String errors;
  private final boolean classLabel;
  /** The connection-level meters, made at the first connection (as Vert.x's series appear). */
  private volatile ConnectionMeters connectionMeters;
  private final ConcurrentMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>();
  /** The meters of requests without a method label (the method label off, or a pushed response): made when needed. */
  private volatile MethodMeters noMethod;

  /**
   * Vert.x's {@code vertx} metrics of one HTTP server, with their request-level meters replaced by these when the
   * options' labels allow it (see the class comment); {@code null} when {@code vertx} is (HTTP server metrics off).
   */
  @SuppressWarnings("unchecked")
  static HttpServerMetrics<?, ?, ?> of(HttpServerMetrics<?, ?, ?> vertx, MeterRegistry registry,
      MicrometerMetricsOptions options) {
    if (vertx == null || options.getServerRequestTagsProvider() != null) {
      return vertx;
    }
    Collection<Label> labels = options.getLabels();
    if (labels != null && (labels.contains(Label.LOCAL) || labels.contains(Label.REMOTE)
        || labels.contains(Label.HTTP_PATH) || labels.contains(Label.HTTP_ROUTE))) {
      return vertx;
    }
    return new HttpServerMeters((HttpServerMetrics<Object, Object, Object>) vertx, registry,
        options.getMetricsNaming(), labels != null && labels.contains(Label.HTTP_METHOD),
        labels != null && labels.contains(Label.HTTP_CODE), labels != null && labels.contains(Label.CLASS_NAME));
  }

  private HttpServerMeters(HttpServerMetrics<Object, Object, Object> vertx, MeterRegistry registry,
      MetricsNaming naming, boolean methodLabel, boolean codeLabel, boolean classLabel) {
    this.vertx = vertx;
    this.registry = registry;
    this.methodLabel = methodLabel;
    this.codeLabel = codeLabel;
    MetricsNaming names = naming.withBaseName("vertx.http.server.");
    this.activeRequests = names.getHttpActiveRequests();
    this.requestBytes = names.getHttpRequestBytes();
    this.requestResets = names.getHttpRequestResetsCount();
    this.requests = names.getHttpRequestsCount();
    this.responseTime = names.getHttpResponseTime();
    this.responseBytes = names.getHttpResponseBytes();
    this.activeWebSockets = names.getHttpActiveWsConnections();
    this.activeConnections = names.getNetActiveConnections();
    this.bytesRead = names.getNetBytesRead();
    this.bytesWritten = names.getNetBytesWritten();
    this.errors = names.getNetErrorCount();
    this.classLabel = classLabel;
    synchronized (GAUGES) {
      this.gauges = GAUGES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
  }

  /** The meters of one method (or of none), with its status codes' meters below. */
  private final class MethodMeters {
    final Tags tags;
    final LongAdder active;
    final DistributionSummary requestBytes;
    final AtomicReferenceArray<CodeMeters> byCode = new AtomicReferenceArray<>(MAX_CODE - MIN_CODE + 1);
    final CodeMeters noCode;

    MethodMeters(Tags tags) {
      this.tags = tags;
      this.active = gauge(activeRequests, "Number of requests being processed", tags);
      this.requestBytes = DistributionSummary.builder(HttpServerMeters.this.requestBytes)
          .description("Size of requests in bytes").tags(tags).register(registry);
      this.noCode = codeLabel ? null : new CodeMeters(tags);
    }

    CodeMeters code(int code) {
      if (!codeLabel) {
        return noCode;
      }
      if (code < MIN_CODE || code > MAX_CODE) {
        return new CodeMeters(tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)));
      }
      CodeMeters meters = byCode.get(code - MIN_CODE);
      if (meters == null) {
        meters = new CodeMeters(tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)));
        byCode.compareAndSet(code - MIN_CODE, null, meters); // the registry gives a racing twin the same meters
      }
      return meters;
    }
  }

  /** The meters of one method and status code. */
  private final class CodeMeters {
    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    CodeMeters(Tags tags) {
      this.requests = Counter.builder(HttpServerMeters.this.requests).description("Number of processed requests")
          .tags(tags).register(registry);
      this.responseTime = Timer.builder(HttpServerMeters.this.responseTime).description("Request processing time")
          .tags(tags).register(registry);
      this.responseBytes = DistributionSummary.builder(HttpServerMeters.this.responseBytes)
          .description("Size of responses in bytes").tags(tags).register(registry);
    }
  }

  /** The meters of the server's connections: what {@link #connected(SocketAddress, String)} returns for each. */
  private static final class ConnectionMeters {
    final LongAdder open;
    final Counter bytesRead;
    final Counter bytesWritten;

    ConnectionMeters(LongAdder open, Counter bytesRead, Counter bytesWritten) {
      this.open = open;
      this.bytesRead = bytesRead;
      this.bytesWritten = bytesWritten;
    }
  }

  private ConnectionMeters connectionMeters() {
    ConnectionMeters meters = connectionMeters;
    if (meters == null) { // a racing twin gets the same adder and counters
      meters = new ConnectionMeters(gauge(activeConnections, "Number of opened connections to the server",
          Tags.empty()),
          Counter.builder(bytesRead).description("Number of bytes received by the server").register(registry),
          Counter.builder(bytesWritten).description("Number of bytes sent by the server").register(registry));
      connectionMeters = meters;
    }
    return meters;
  }

  /** One gauge of an adder, shared by every server on the registry with the same name and tags. */
  private LongAdder gauge(String name, String description, Tags tags) {
    return gauges.computeIfAbsent(new GaugeKey(name, tags), key -> {
      LongAdder adder = new LongAdder();
      Gauge.builder(name, adder, LongAdder::doubleValue).description(description).tags(tags).register(registry);
      return adder;
    });
  }

  private MethodMeters noMethod() {
    MethodMeters meters = noMethod;
    if (meters == null) {
      meters = new MethodMeters(Tags.empty()); // a racing twin gets the same meters from the registry
      noMethod = meters;
    }
    return meters;
  }

  private MethodMeters method(HttpMethod method) {
    if (!methodLabel) {
      return noMethod();
    }
    String name = method.toString();
    MethodMeters meters = byMethod.get(name);
    if (meters != null) {
      return meters;
    }
    if (byMethod.size() >= MAX_METHODS) {
      return new MethodMeters(Tags.of(Label.HTTP_METHOD.toString(), name));
    }
    return byMethod.computeIfAbsent(name, n -> new MethodMeters(Tags.of(Label.HTTP_METHOD.toString(), n)));
  }

  /** A request's state: its meters, its start, and which of its ends were seen (as Vert.x's). */
  static final class Request {
    private final MethodMeters meters;
    private final long start = System.nanoTime();
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(MethodMeters meters) {
      this.meters = meters;
      meters.active.increment();
    }
  }

  @Override
  public Request requestBegin(Object socket, HttpRequest request) {
    return new Request(method(request.method()));
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.meters.requestBytes.record(bytesRead);
    request.requestEnded = true;
    if (!request.reset && request.responseEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    // looked up when needed (rare): registered at the first reset, as in Vert.x
    Counter.builder(requestResets).description("Number of request resets").tags(request.meters.tags)
        .register(registry).increment();
    request.meters.active.decrement();
    request.reset = true;
  }

  @Override
  public Request responsePushed(Object socket, HttpMethod method, String uri, HttpResponse response) {
    return new Request(noMethod());
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    CodeMeters meters = request.meters.code(response.statusCode());
    meters.requests.increment();
    meters.responseTime.record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
    meters.responseBytes.record(bytesWritten);
    request.responseEnded = true;
    if (!request.reset && request.requestEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public LongAdder connected(Object socket, Request request, ServerWebSocket webSocket) {
    LongAdder adder = gauge(activeWebSockets, "Number of websockets currently opened", Tags.empty());
    adder.increment();
    return adder;
  }

  @Override
  public void disconnected(LongAdder webSockets) {
    webSockets.decrement();
  }

  // the connection-level metrics (Vert.x's series, without its gauge registration per connection)

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    ConnectionMeters meters = connectionMeters();
    meters.open.increment();
    return meters;
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    if (socket instanceof ConnectionMeters meters) {
      meters.open.decrement();
    }
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    if (socket instanceof ConnectionMeters meters) {
      meters.bytesRead.increment(numberOfBytes);
    }
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    if (socket instanceof ConnectionMeters meters) {
      meters.bytesWritten.increment(numberOfBytes);
    }
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable t) {
    // looked up when needed (rare), as Vert.x does
    Counter.builder(errors).description("Number of errors")
        .tags(classLabel ? Tags.of(Label.CLASS_NAME.toString(), t.getClass().getSimpleName()) : Tags.empty())
        .register(registry).increment();
  }

  @Override
  public void close() {
    vertx.close();
  }
}
