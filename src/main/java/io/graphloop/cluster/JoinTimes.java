package io.graphloop.cluster;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;

import java.util.Locale;

/**
 * Where the time of one {@link ClusteredVertx#start} went, phase by phase, for one log line: reading the cluster
 * configuration; Vert.x and Hazelcast's instance (Hazelcast builds its services, loading their classes, before it
 * says {@code STARTING}); Hazelcast's start and join (from {@code STARTING} to {@code STARTED}: its network, joining
 * the members); and the rest (Vert.x's cluster set-up: the event bus server, this member's entry in the cluster's
 * tables). The Hazelcast marks are its own lifecycle events, so the figures need no log parsing and no clock but
 * {@link System#nanoTime()}.
 *
 * <p>Thread rules: {@link #begin}, {@link #configured} and {@link #describe} are called by {@code start}'s caller and
 * the future's callback; the lifecycle events come on a Hazelcast thread. The marks are volatile; a mark that never
 * came (0) folds its phase into the next one.
 */
final class JoinTimes implements LifecycleListener {

  private volatile long begin;
  private volatile long configured;
  private volatile long hazelcastStarting;
  private volatile long hazelcastStarted;

  /** Marks the start of {@link ClusteredVertx#start}. */
  JoinTimes begin() {
    begin = System.nanoTime();
    return this;
  }

  /** Marks that the cluster configuration has been read. */
  void configured() {
    configured = System.nanoTime();
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.STARTING) {
      hazelcastStarting = System.nanoTime();
    } else if (event.getState() == LifecycleEvent.LifecycleState.STARTED) {
      hazelcastStarted = System.nanoTime();
    }
  }

  /**
   * The log line for a join that has just completed, e.g. {@code Joined the cluster in 4.12 s: configuration
   * (conf/cluster.xml) 0.91 s, Vert.x and Hazelcast's instance (services, class loading) 2.64 s, Hazelcast's start
   * and join 0.20 s, Vert.x's cluster set-up (event bus server, cluster tables) 0.37 s}.
   */
  String describe(String configFile) {
    long end = System.nanoTime();
    long configEnd = mark(configured, begin);
    long starting = mark(hazelcastStarting, configEnd);
    long started = mark(hazelcastStarted, starting);
    return "Joined the cluster in " + seconds(end - begin) + ": configuration (" + configFile + ") "
        + seconds(configEnd - begin) + ", Vert.x and Hazelcast's instance (services, class loading) "
        + seconds(starting - configEnd) + ", Hazelcast's start and join " + seconds(started - starting)
        + ", Vert.x's cluster set-up (event bus server, cluster tables) " + seconds(end - started)
        + (hazelcastStarting == 0 || hazelcastStarted == 0 ? " (Hazelcast's lifecycle events were not seen: its "
        + "phases are counted in the next ones)" : "");
  }

  /** {@code value}, or {@code previous} when the mark never came. */
  private static long mark(long value, long previous) {
    return value == 0 ? previous : value;
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
