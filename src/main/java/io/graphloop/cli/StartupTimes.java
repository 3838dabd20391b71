package io.graphloop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a command's start-up time went, phase by phase since the JVM started, for one line on stderr: e.g.
 * {@code member started in 9.81 s since the JVM started: JVM and command line 3.02 s, configuration 0.41 s, cluster
 * join 5.12 s, graphs and readiness 1.26 s}. The first phase, from the JVM's start (as the operating system
 * recorded it) to the command's start, is the JVM, its class loading and the command line's parsing.
 *
 * <p>Thread rules: not thread-safe; one thread (the command's) marks the phases and reads the line.
 */
final class StartupTimes {

  private final long sinceJvmNanos;
  private final List<String> names = new ArrayList<>();
  private final List<Long> ends = new ArrayList<>();
  private long last;

  /** Starts timing now; {@code sinceJvmNanos} is how long the JVM had been running already (0 when unknown). */
  StartupTimes(long sinceJvmNanos, long nowNanos) {
    this.sinceJvmNanos = Math.max(0, sinceJvmNanos);
    this.last = nowNanos;
  }

  /** Starts timing now, with the time since this JVM's process started. */
  static StartupTimes sinceJvmStart() {
    long now = System.nanoTime();
    long sinceJvm = ProcessHandle.current().info().startInstant()
        .map(start -> (System.currentTimeMillis() - start.toEpochMilli()) * 1_000_000L).orElse(0L);
    return new StartupTimes(sinceJvm, now);
  }

  /** The phase named {@code name} ends now (it began when the previous one ended). */
  void phase(String name) {
    phase(name, System.nanoTime());
  }

  void phase(String name, long nowNanos) {
    names.add(name);
    ends.add(nowNanos - last);
    last = nowNanos;
  }

  /** The line: {@code <subject> started in T since the JVM started: JVM and command line a, <phase> b, ...}. */
  String line(String subject) {
    long total = sinceJvmNanos;
    StringBuilder phases = new StringBuilder("JVM and command line ").append(seconds(sinceJvmNanos));
    for (int i = 0; i < names.size(); i++) {
      total += ends.get(i);
      phases.append(", ").append(names.get(i)).append(' ').append(seconds(ends.get(i)));
    }
    return subject + " started in " + seconds(total) + " since the JVM started: " + phases;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
