package io.graphloop.ops;

import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What metrics cost per event, measured by the bytes this thread allocates (a measure a loaded machine does not
 * change): recording a node execution, a run and the event bus's messages builds nothing (no key, no tags, no meter
 * id; issue 16's overhead target). Before, a node execution built a map key per event, and Vert.x's event-bus metrics
 * built tags and meter ids for each message.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MetersAllocationTest {

  private static final int WARM_UP = 50_000;
  private static final int MEASURED = 200_000;
  /** Bytes per event allowed: nothing is built, so the average is about 0 once compiled (a string key was 56). */
  private static final double MAX_BYTES_PER_EVENT = 8;

  @Test
  void recordingRunsAndNodeExecutionsAllocatesNothing(Vertx vertx, VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    StateGraph chain = new StateGraph("alloc").addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
        .addEdge(START, "a").addEdge("a", END);
    GraphRuntime.deploy(vertx, chain.compile()).onComplete(ctx.succeeding(runtime -> vertx.executeBlocking(() -> {
      GraphloopMeters meters = GraphloopMeters.bind(registry, runtime);
      Runnable run = () -> {
        meters.runStarted();
        meters.nodeEnded("a", "success", 120_000);
        meters.nodeEnded("a", "failure", 90_000);
        meters.runEnded("success", 2_000_000);
      };
      double perEvent = bytesPerCall(run) / 4;
      assertTrue(perEvent < MAX_BYTES_PER_EVENT, "bytes per recorded event: " + perEvent);
      assertEquals(WARM_UP + MEASURED, registry.get("graphloop.node.duration").tags("node", "a", "outcome",
          "success").timer().count(), "every call recorded");
      meters.close();
      return null;
    }).onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void countingEventBusMessagesAllocatesNothing() {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    EventBusMeters bus = new EventBusMeters(registry, MetricsNaming.v4Names());
    Object handler = bus.handlerRegistered("graphloop.node.alloc.a");
    Runnable message = () -> {
      bus.messageSent("graphloop.node.alloc.a", false, true, false);
      bus.messageReceived("graphloop.node.alloc.a", false, true, 1);
      bus.messageDelivered(handler, true);
    };
    double perEvent = bytesPerCall(message) / 3;
    assertTrue(perEvent < MAX_BYTES_PER_EVENT, "bytes per counted event: " + perEvent);
    assertEquals(WARM_UP + MEASURED, registry.get("vertx.eventbus.processed").tag("side", "local").counter().count());
    assertEquals(0, registry.get("vertx.eventbus.pending").tag("side", "local").gauge().value());
  }

  /** Bytes this thread allocates per call of {@code call}, after a warm-up (so the JIT has compiled it). */
  private static double bytesPerCall(Runnable call) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < WARM_UP; i++) {
      call.run();
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < MEASURED; i++) {
      call.run();
    }
    return (threads.getThreadAllocatedBytes(thread) - before) / (double) MEASURED;
  }
}
