package io.graphloop.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The definition of a durable-steps row's phases (issue 18), the same for every store: its threads' first runs
 * staggered, a warm-up that lasts until the windows have settled, then the measured windows.
 *
 * <ol>
 *   <li><b>Stagger.</b> The threads' first runs start evenly over {@link #staggerMs()}: one run's duration at the
 *   target rate (Little's law: {@code threads x steps / targetStepsPerS}, 5 s for 10,000 threads of 10 steps at
 *   20,000 steps/s). Started at once, the 10,000 runs' starts (each a read of its thread) and first saves came as one
 *   wave and the group commit's batches grew with the queue for many seconds: the windows measured that start, not an
 *   agent platform's steady state, whose threads' runs are spread over time.</li>
 *   <li><b>Warm-up.</b> Windows of {@code iterationMs} from the first start, none measured: at least
 *   {@link #minWarmupMs()} (the harness's warm-up plus the stagger), then until the last {@link #settleWindows()}
 *   windows, all begun after the stagger, have rates and saves per commit whose spread (largest less smallest) is
 *   within {@link #tolerance()} of their mean (settled), at most {@link #maxWarmupMs()} (then the row says it did
 *   not settle).</li>
 *   <li><b>Measured.</b> {@code iterations} windows after the warm-up; the row's figures are their medians.</li>
 * </ol>
 *
 * <p>Each figure can be changed with a system property of the parent (forwarded to the child JVMs,
 * {@link ChildLauncher}): {@code graphloop.bench.durable.targetStepsPerS} (20,000), {@code .staggerMs} (derived from
 * the target), {@code .maxExtraWarmupMs} (30,000: the most the warm-up may go past its minimum), {@code
 * .settleWindows} (3), {@code .tolerance} (0.10). {@code -Dgraphloop.bench.durable.staggerMs=0
 * -Dgraphloop.bench.durable.maxExtraWarmupMs=0} gives back the row measured before (all runs at once, a fixed
 * warm-up).
 *
 * <p>Also keeps the windows (each one's phase, rate, p99, saves per commit) for the report. Used by the measuring
 * thread only.
 */
final class DurablePhases {

  static final String PREFIX = "graphloop.bench.durable.";

  private final long staggerMs;
  private final long minWarmupMs;
  private final long maxWarmupMs;
  private final int settleWindows;
  private final double tolerance;
  private final List<JsonObject> windows = new ArrayList<>();
  private Boolean settled;
  private double settledAfterS = Double.NaN;

  DurablePhases(int threads, int steps, Settings settings) {
    double target = Double.parseDouble(System.getProperty(PREFIX + "targetStepsPerS", "20000"));
    if (!(target > 0)) {
      throw new IllegalArgumentException(PREFIX + "targetStepsPerS must be above 0, not " + target);
    }
    this.staggerMs = Long.getLong(PREFIX + "staggerMs", Math.round(threads * (double) steps / target * 1_000));
    long extra = Long.getLong(PREFIX + "maxExtraWarmupMs", settings.quick() ? 2 * settings.iterationMs() : 30_000);
    this.settleWindows = Integer.getInteger(PREFIX + "settleWindows", 3);
    this.tolerance = Double.parseDouble(System.getProperty(PREFIX + "tolerance", "0.10"));
    if (staggerMs < 0 || extra < 0 || settleWindows < 1 || !(tolerance >= 0)) {
      throw new IllegalArgumentException("bad durable-steps phases: staggerMs " + staggerMs + ", maxExtraWarmupMs "
          + extra + ", settleWindows " + settleWindows + ", tolerance " + tolerance + " (each at least 0; "
          + "settleWindows at least 1)");
    }
    this.minWarmupMs = settings.warmupMs() + staggerMs;
    this.maxWarmupMs = minWarmupMs + extra;
  }

  long staggerMs() {
    return staggerMs;
  }

  long minWarmupMs() {
    return minWarmupMs;
  }

  long maxWarmupMs() {
    return maxWarmupMs;
  }

  int settleWindows() {
    return settleWindows;
  }

  double tolerance() {
    return tolerance;
  }

  /**
   * Records a warm-up window that ended {@code elapsedMs} after the first start and began {@code startMs} after it;
   * returns whether the warm-up is over (settled, or at its maximum).
   */
  boolean warmupWindow(long startMs, long elapsedMs, double stepsPerS, double p99Ms, double savesPerCommit) {
    windows.add(window("warm-up", startMs, stepsPerS, p99Ms, savesPerCommit));
    if (elapsedMs < minWarmupMs) {
      return false;
    }
    if (isSettled()) {
      settled = true;
      settledAfterS = elapsedMs / 1e3;
      return true;
    }
    if (elapsedMs >= maxWarmupMs) {
      settled = false;
      settledAfterS = elapsedMs / 1e3;
      return true;
    }
    return false;
  }

  /** Records a measured window. */
  void measuredWindow(long startMs, double stepsPerS, double p99Ms, double savesPerCommit) {
    windows.add(window("measured", startMs, stepsPerS, p99Ms, savesPerCommit));
  }

  /** The last {@link #settleWindows} windows all began after the stagger and their spread is within the tolerance. */
  private boolean isSettled() {
    if (windows.size() < settleWindows) {
      return false;
    }
    List<JsonObject> last = windows.subList(windows.size() - settleWindows, windows.size());
    if (last.get(0).getLong("startMs") < staggerMs) {
      return false;
    }
    return within(last, "stepsPerS") && within(last, "savesPerCommit");
  }

  /**
   * The windows' spread (largest less smallest) is at most the tolerance times their mean: a slow ramp (say +6% a
   * window, each window within 10% of the three's mean) is not settled.
   */
  private boolean within(List<JsonObject> last, String key) {
    double mean = last.stream().mapToDouble(w -> w.getDouble(key)).average().orElse(0);
    double max = last.stream().mapToDouble(w -> w.getDouble(key)).max().orElse(0);
    double min = last.stream().mapToDouble(w -> w.getDouble(key)).min().orElse(0);
    return max - min <= tolerance * Math.abs(mean);
  }

  private static JsonObject window(String phase, long startMs, double stepsPerS, double p99Ms,
                                   double savesPerCommit) {
    return new JsonObject().put("phase", phase).put("startMs", startMs).put("stepsPerS", stepsPerS)
        .put("p99Ms", p99Ms).put("savesPerCommit", savesPerCommit);
  }

  /** The phases and every window, for the result's metrics ({@code durable_phases}). */
  JsonObject toJson() {
    return new JsonObject().put("staggerMs", staggerMs).put("minWarmupMs", minWarmupMs).put("maxWarmupMs", maxWarmupMs)
        .put("settleWindows", settleWindows).put("tolerance", tolerance).put("settled", settled)
        .put("warmupS", settledAfterS).put("windows", new JsonArray(new ArrayList<>(windows)));
  }

  /**
   * One line for the report's details: how the warm-up ended, then every window as {@code rate/saves per commit},
   * the measured ones in bold.
   */
  static String describe(JsonObject phases) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "first runs staggered over %.1f s; warm-up %s "
            + "after %.0f s (last %d windows' spread within %.0f%% of their mean; min %.0f s, max %.0f s); windows "
            + "(steps/s, saves/commit): ",
        phases.getLong("staggerMs") / 1e3, Boolean.TRUE.equals(phases.getBoolean("settled")) ? "settled"
            : "NOT settled, measured anyway,", phases.getDouble("warmupS", Double.NaN),
        phases.getInteger("settleWindows"), phases.getDouble("tolerance") * 100, phases.getLong("minWarmupMs") / 1e3,
        phases.getLong("maxWarmupMs") / 1e3));
    JsonArray windows = phases.getJsonArray("windows");
    for (int i = 0; i < windows.size(); i++) {
      JsonObject w = windows.getJsonObject(i);
      String text = String.format(Locale.ROOT, "%,.0f/%.0f", w.getDouble("stepsPerS"), w.getDouble("savesPerCommit"));
      out.append(i == 0 ? "" : ", ").append("measured".equals(w.getString("phase")) ? "**" + text + "**" : text);
    }
    return out.append(" (bold: measured)").toString();
  }
}
