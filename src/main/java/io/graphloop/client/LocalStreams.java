package io.graphloop.client;

import io.graphloop.internal.bus.LoopAffinity;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which streams have their run coordinated on their consumer's own event loop (issue 15: node, model connection,
 * coordinator and consumer then share one thread, and a token reaches its consumer without waking another loop), and
 * the balance rule that keeps this from piling every run onto one loop.
 *
 * <p>A stream opened on an event loop whose Vert.x coordinates the graph stays on that loop while both hold:
 * <ul>
 *   <li>the loop's unended local streams are fewer than {@link #limit()} (system property {@value #LIMIT_PROPERTY},
 *       default {@value #DEFAULT_LIMIT}; 0 turns them off);</li>
 *   <li>the loop's local streams are below the mean over the Vert.x's event loops plus {@link #margin()} (system
 *       property {@value #MARGIN_PROPERTY}, default {@value #DEFAULT_MARGIN}): {@code here * loops < total + margin *
 *       loops}. Where consumers are spread over the loops (the server serving HTTP on every loop, a verticle per loop)
 *       every loop stays near the mean and every stream stays local; where every consumer sits on one loop (one
 *       verticle consuming many streams, a burst started from one context) that loop keeps about
 *       {@code margin * loops / (loops - 1)} of them and the others go to the graph's run address, spread over every
 *       coordinator as without the rule.</li>
 * </ul>
 * Otherwise, and off the event loops, a stream's run goes to the run address. Both properties are read per stream; a
 * value that is not a whole number of at least 0 fails the stream's opening with {@link IllegalArgumentException}.
 *
 * <p>Thread rules: one instance per Vert.x (a local shared map), its total an atomic counter changed by every loop;
 * each loop's own count lives in its {@link ClientChannel}, read and changed on that loop only.
 */
final class LocalStreams implements Shareable {

  /** The system property that sets {@link #limit()}. */
  static final String LIMIT_PROPERTY = "graphloop.client.localStreams";
  /** The system property that sets {@link #margin()}. */
  static final String MARGIN_PROPERTY = "graphloop.client.localStreamsMargin";
  /**
   * On by default (since 2026-12-07, BENCHMARKS.md "Issue 15: local streams on by default"): a bus-consumed token's
   * added p99 0.04 ms against 1.2-2.5 ms off, and ServerBench's 10,000 streams not slower. Set the property to 0 for
   * the old route (every streamed run to the run address). Was 0 while a subgraph bug made it unsafe (a subgraph's
   * addresses did not name its parent; fixed by 9ca582d, see {@code SharedSubgraphTest}).
   */
  static final int DEFAULT_LIMIT = 1000;
  static final int DEFAULT_MARGIN = 16;

  private static final String REGISTRY = "graphloop.client.localStreams";

  private final AtomicInteger total = new AtomicInteger();
  private final int loops;

  private LocalStreams(int loops) {
    this.loops = loops;
  }

  /** The counter of {@code vertx}, made on first use. Any thread. */
  static LocalStreams of(Vertx vertx) {
    LocalMap<String, LocalStreams> registry = vertx.sharedData().getLocalMap(REGISTRY);
    LocalStreams streams = registry.get(REGISTRY);
    if (streams == null) {
      LocalStreams made = new LocalStreams(Math.max(1, LoopAffinity.eventLoops(vertx)));
      streams = registry.putIfAbsent(REGISTRY, made);
      if (streams == null) {
        streams = made;
      }
    }
    return streams;
  }

  /** Unended local streams per event loop at most ({@value #LIMIT_PROPERTY}, default {@value #DEFAULT_LIMIT}). */
  static int limit() {
    return property(LIMIT_PROPERTY, DEFAULT_LIMIT);
  }

  /** How far above the loops' mean one loop's local streams may go ({@value #MARGIN_PROPERTY}). */
  static int margin() {
    return property(MARGIN_PROPERTY, DEFAULT_MARGIN);
  }

  private static int property(String name, int otherwise) {
    String text = System.getProperty(name);
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("System property " + name + " must be a whole number of at least 0, was '"
        + text + "'");
  }

  /** Whether a loop with {@code here} unended local streams keeps a new one local (see the class comment). */
  boolean admits(int here, int limit, int margin) {
    return here < limit && (long) here * loops < (long) total.get() + (long) margin * loops;
  }

  void started() {
    total.incrementAndGet();
  }

  void ended() {
    total.decrementAndGet();
  }

  /** Unended local streams of every loop of this Vert.x. */
  int total() {
    return total.get();
  }

  /** The event loops the mean is taken over. */
  int loops() {
    return loops;
  }
}
