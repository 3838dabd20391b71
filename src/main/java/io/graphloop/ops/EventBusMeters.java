package io.graphloop.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.micrometer.MetricsNaming;

import java.util.EnumMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's event-bus metrics ({@code vertx_eventbus_*}, the families and names of vertx-micrometer-metrics) as totals
 * over every address: each meter is registered once, when the event bus starts, and each message only increments
 * counters this object holds. Vert.x's own implementation looks its meters up in the registry for every message (a
 * meter id and tags built, a registry map read, the pending gauge registered again, four times a message), which
 * cost more than Graphloop's whole per-run metrics (issue 16, BENCHMARKS.md); it has no address label unless one asks
 * for it, so these are the same series, at a fraction of the cost.
 *
 * <p>The series (with Prometheus names), all there from the start, at zero:
 * <ul>
 *   <li>{@code vertx_eventbus_published_total}, {@code _sent_total}, {@code _received_total},
 *       {@code _delivered_total}, {@code _processed_total}, {@code _discarded_total}: counters labelled
 *       {@code side="local"|"remote"} (a message sent and handled in this JVM, or to/from another member);</li>
 *   <li>{@code vertx_eventbus_pending{side}}: messages received and not yet handled (gauge);</li>
 *   <li>{@code vertx_eventbus_handlers}: handlers registered (gauge);</li>
 *   <li>{@code vertx_eventbus_reply_failures_total{failure}}: failed requests by Vert.x's {@link ReplyFailure} kind
 *       ({@code TIMEOUT}, {@code NO_HANDLERS}, {@code RECIPIENT_FAILURE}, {@code ERROR});</li>
 *   <li>{@code vertx_eventbus_bytes_written}, {@code _bytes_read}: summaries of the messages' sizes in bytes on the
 *       wire to and from other members (clustered only).</li>
 * </ul>
 * Never an address label: node requests, node results and runs go to per-graph and per-node addresses, which
 * {@code graphloop_node_*} and {@code graphloop_runs_*} count with the graph and node; streamed runs and clients have
 * per-run reply addresses, which would be unbounded. As in Vert.x, addresses under {@code __vertx.} (its own,
 * replies among them) are not counted.
 *
 * <p>Several Vert.x instances on one registry share the series: counters are the registry's, and the gauges' state
 * is kept once per registry, so they add up.
 *
 * <p>Thread rules: called by Vert.x from event loops, workers and Netty threads concurrently; every method is
 * lock-free (adders) except the constructor, which registers the meters.
 */
final class EventBusMeters implements EventBusMetrics<Object> {

  /** The handle of a counted handler (one object: without an address label, handlers need no state of their own). */
  private static final Object COUNTED = new Object();
  /** Vert.x's own addresses, replies among them: not counted (as in vertx-micrometer-metrics). */
  private static final String INTERNAL = "__vertx.";

  /** The gauges' state, per registry, so that several Vert.x instances on one registry add up. */
  private static final Map<MeterRegistry, Gauges> GAUGES = new WeakHashMap<>();

  /** Handlers and pending messages of every Vert.x instance on one registry. */
  private static final class Gauges {
    final LongAdder handlers = new LongAdder();
    final LongAdder pendingLocal = new LongAdder();
    final LongAdder pendingRemote = new LongAdder();
  }

  /** One counter per side: the local one first. */
  private record Sides(Counter local, Counter remote) {
    static Sides of(MeterRegistry registry, String name, String description) {
      return new Sides(Counter.builder(name).tags(LOCAL).description(description).register(registry),
          Counter.builder(name).tags(REMOTE).description(description).register(registry));
    }

    Counter of(boolean local) {
      return local ? this.local : remote;
    }
  }

  private static final Tags LOCAL = Tags.of("side", "local");
  private static final Tags REMOTE = Tags.of("side", "remote");

  private final Gauges gauges;
  private final Sides published;
  private final Sides sent;
  private final Sides received;
  private final Sides delivered;
  private final Sides processed;
  private final Sides discarded;
  private final Map<ReplyFailure, Counter> replyFailures = new EnumMap<>(ReplyFailure.class);
  private final DistributionSummary bytesWritten;
  private final DistributionSummary bytesRead;

  /**
   * Registers the event bus's meters in {@code registry}, named by {@code naming} (Vert.x's {@code MetricsNaming} of
   * the metrics options) under {@code vertx.eventbus.}.
   */
  EventBusMeters(MeterRegistry registry, MetricsNaming naming) {
    String base = "vertx.eventbus.";
    synchronized (GAUGES) {
      Gauges shared = GAUGES.get(registry);
      if (shared == null) {
        shared = new Gauges();
        GAUGES.put(registry, shared);
        Gauge.builder(base + naming.getEbHandlers(), shared.handlers, LongAdder::doubleValue)
            .description("Number of event bus handlers in use").register(registry);
        Gauge.builder(base + naming.getEbPending(), shared.pendingLocal, LongAdder::doubleValue).tags(LOCAL)
            .description("Number of messages not processed yet").register(registry);
        Gauge.builder(base + naming.getEbPending(), shared.pendingRemote, LongAdder::doubleValue).tags(REMOTE)
            .description("Number of messages not processed yet").register(registry);
      }
      this.gauges = shared;
    }
    published = Sides.of(registry, base + naming.getEbPublished(),
        "Number of messages published (publish / subscribe)");
    sent = Sides.of(registry, base + naming.getEbSent(), "Number of messages sent (point-to-point)");
    received = Sides.of(registry, base + naming.getEbReceived(), "Number of messages received");
    delivered = Sides.of(registry, base + naming.getEbDelivered(), "Number of messages delivered to handlers");
    processed = Sides.of(registry, base + naming.getEbProcessed(), "Number of processed messages");
    discarded = Sides.of(registry, base + naming.getEbDiscarded(), "Number of discarded messages");
    for (ReplyFailure failure : ReplyFailure.values()) {
      replyFailures.put(failure, Counter.builder(base + naming.getEbReplyFailures()).tags("failure", failure.name())
          .description("Number of message reply failures").register(registry));
    }
    bytesWritten = DistributionSummary.builder(base + naming.getEbBytesWritten())
        .description("Number of bytes sent while sending messages to event bus cluster peers").register(registry);
    bytesRead = DistributionSummary.builder(base + naming.getEbBytesRead())
        .description("Number of bytes received while reading messages from event bus cluster peers")
        .register(registry);
  }

  private static boolean counted(String address) {
    return !address.startsWith(INTERNAL);
  }

  @Override
  public Object handlerRegistered(String address) {
    if (!counted(address)) {
      return null;
    }
    gauges.handlers.increment();
    return COUNTED;
  }

  @Override
  public void handlerUnregistered(Object handler) {
    if (handler != null) {
      gauges.handlers.decrement();
    }
  }

  @Override
  public void messageDelivered(Object handler, boolean local) {
    if (handler != null) {
      pending(local).decrement();
      processed.of(local).increment();
    }
  }

  @Override
  public void discardMessage(Object handler, boolean local, Message<?> msg) {
    if (handler != null) {
      pending(local).decrement();
      discarded.of(local).increment();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    if (counted(address)) {
      (publish ? published : sent).of(local).increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlers) {
    if (counted(address)) {
      received.of(local).increment();
      if (handlers > 0) {
        pending(local).add(handlers);
        delivered.of(local).increment();
      }
    }
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    if (counted(address)) {
      bytesWritten.record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    if (counted(address)) {
      bytesRead.record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    if (counted(address)) {
      replyFailures.get(failure).increment();
    }
  }

  private LongAdder pending(boolean local) {
    return local ? gauges.pendingLocal : gauges.pendingRemote;
  }
}
