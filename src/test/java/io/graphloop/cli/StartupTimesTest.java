package io.graphloop.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 11, item 16: the line a member prints on stderr about where its start-up time went. */
class StartupTimesTest {

  @Test
  void eachPhaseRunsFromTheEndOfThePreviousOneAndTheTotalCountsTheJvmsStart() {
    StartupTimes times = new StartupTimes(2_500_000_000L, 1_000L);
    times.phase("configuration", 1_000L + 400_000_000L);
    times.phase("cluster join", 1_000L + 4_400_000_000L);
    times.phase("graphs and readiness", 1_000L + 5_000_000_000L);
    assertEquals("member started in 7.50 s since the JVM started: JVM and command line 2.50 s, configuration "
        + "0.40 s, cluster join 4.00 s, graphs and readiness 0.60 s", times.line("member"));
  }

  @Test
  void anUnknownJvmStartCountsAsZero() {
    StartupTimes times = new StartupTimes(-5, 0);
    times.phase("configuration", 10_000_000L);
    assertEquals("member started in 0.01 s since the JVM started: JVM and command line 0.00 s, configuration 0.01 s",
        times.line("member"));
  }
}
