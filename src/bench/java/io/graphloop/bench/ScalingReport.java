package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The report's issue 17 sections, from the same run as the table: the throughput pairs (one run in flight for both
 * systems; many in flight for both, with LangGraph4j's thread sweep), and the scaling section (chain N: compile time,
 * cost and bytes allocated per step; concurrency R: wall, peak RSS, GC, LangGraph4j's threads), each row with its
 * target and whether Graphloop met it. A measurement that did not run says why in a footnote of the report.
 *
 * <p>Not thread-safe; used by {@link Report} on the parent's main thread.
 */
final class ScalingReport {

  private static final String G = Report.GRAPHLOOP;
  private static final String L = Report.LANGGRAPH4J;
  /** The chain rows of the scaling section, by size. */
  private static final List<Workload> CHAINS = List.of(Workload.CHAIN_10, Workload.CHAIN_100, Workload.CHAIN_1000,
      Workload.CHAIN_3000, Workload.CHAIN_10000, Workload.CHAIN_100000);
  /** The burst rows of the scaling section. */
  private static final List<Workload> BURSTS = List.of(Workload.CONCURRENCY_1K, Workload.CONCURRENCY_10K,
      Workload.CONCURRENCY_100K, Workload.CONCURRENCY_100K_LOOPS, Workload.CONCURRENCY_100K_THREAD,
      Workload.CONCURRENCY_1M);

  private final Results results;
  private final Settings settings;
  /** Cell text for a measurement without a number ("not run [3]"): the report's footnotes. */
  private final BiFunction<Workload, String, String> missing;
  /** Targets of these sections that the main table has no row for, missed: for the report's "Missed targets". */
  private final java.util.List<String> missed = new java.util.ArrayList<>();

  ScalingReport(Results results, Settings settings, BiFunction<Workload, String, String> missing) {
    this.results = results;
    this.settings = settings;
    this.missing = missing;
  }

  /** "## Issue 17: throughput pairs", or "" when neither pair's workload ran. */
  String pairs() {
    if (!ran(Workload.ONE_IN_FLIGHT) && !ran(Workload.THROUGHPUT)) {
      return "";
    }
    StringBuilder out = new StringBuilder("## Issue 17: throughput pairs (seed graph, 0 ms nodes)\n\n"
        + "| pair | Graphloop (runs/s) | LangGraph4j (runs/s) | ratio | target | met? |\n|---|---:|---:|---:|---|---|\n");
    JsonObject blocking = summary(Workload.ONE_IN_FLIGHT, G, "runs_per_s_blocking");
    JsonObject composed = summary(Workload.ONE_IN_FLIGHT, G, "runs_per_s_composed");
    JsonObject invoke = summary(Workload.ONE_IN_FLIGHT, L, "runs_per_s_blocking");
    String met = "";
    if (blocking != null && composed != null && invoke != null) {
      double value = blocking.getDouble("value");
      boolean yes = value >= invoke.getDouble("value") && value >= composed.getDouble("value") / 2;
      met = yes ? "yes" : "NO";
      if (!yes) {
        missed.add(String.format(Locale.ROOT, "one run in flight, `invokeAndWait` from `main`: %,.0f runs/s against "
            + "at least LangGraph4j's `invoke` (%,.0f) and half of the composed path (%,.0f).", value,
            invoke.getDouble("value"), composed.getDouble("value") / 2));
      }
    }
    out.append(line("one in flight: the blocking call on `main` (Graphloop `invokeAndWait`; LangGraph4j `invoke`)",
        Workload.ONE_IN_FLIGHT, "runs_per_s_blocking", "runs_per_s_blocking",
        ">= LangGraph4j's `invoke` and >= half of the composed path", met));
    out.append(line("one in flight: composed futures on an event loop (LangGraph4j has only `invoke`: the same call)",
        Workload.ONE_IN_FLIGHT, "runs_per_s_composed", "runs_per_s_composed", "", ""));
    JsonObject many = summary(Workload.THROUGHPUT, G, "runs_per_s");
    out.append(line(String.format(Locale.ROOT, "many in flight: Graphloop %,d runs; LangGraph4j %s",
            settings.inFlight(), lg4jThreadsText()), Workload.THROUGHPUT, "runs_per_s", "runs_per_s",
        ">= 100,000 runs/s", many == null ? "" : many.getDouble("value") >= 100_000 ? "yes" : "NO"));
    out.append('\n').append(sweepNote()).append("\n\n");
    return out.toString();
  }

  /** The targets of {@link #pairs()} missed (call after it). */
  java.util.List<String> missed() {
    return missed;
  }

  private String lg4jThreadsText() {
    if (settings.lg4jThreads() > 0) {
      return settings.lg4jThreads() + " threads (--lg4j-threads)";
    }
    JsonObject metrics = firstMetrics(Workload.THROUGHPUT, L);
    return metrics != null && metrics.containsKey("best_threads")
        ? "N = " + metrics.getInteger("best_threads") + " threads, its best (sweep below)" : "its best N threads";
  }

  private String sweepNote() {
    JsonObject metrics = firstMetrics(Workload.THROUGHPUT, L);
    if (metrics == null || !metrics.containsKey("sweep")) {
      return settings.lg4jThreads() > 0 ? "LangGraph4j's thread count was fixed by --lg4j-threads (no sweep)."
          : "LangGraph4j's thread sweep: not run.";
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "LangGraph4j's thread sweep (each count warmed "
        + "up, then measured for %.1f s, in the same JVM after the %.1f s warm-up; the row above measures the best): ",
        settings.sweepMs() / 1e3, settings.warmupMs() / 1e3));
    JsonObject sweep = metrics.getJsonObject("sweep");
    out.append(String.join(", ", sweep.fieldNames().stream().map(n -> String.format(Locale.ROOT, "%s threads %,.0f",
        n, sweep.getDouble(n))).toList()));
    return out.append(" runs/s; best N = ").append(metrics.getInteger("best_threads")).append('.').toString();
  }

  /** "## Issue 17: scaling", or "" when none of its workloads ran. */
  String scaling() {
    boolean chains = ran(Workload.COMPILE_SCALING) || CHAINS.stream().anyMatch(this::ran);
    boolean bursts = BURSTS.stream().anyMatch(this::ran);
    if (!chains && !bursts) {
      return "";
    }
    StringBuilder out = new StringBuilder("## Issue 17: scaling\n\n");
    if (chains) {
      out.append(String.format(Locale.ROOT, "**Chain N**: compile() of a freshly built chain (median of %d after a "
          + "warm-up; `compileScaling`), and the chain rows' cost per step (one run in flight) and bytes allocated per "
          + "step (every thread; a loaded machine does not inflate it). Compile sizes predicted to take over %s s "
          + "are not compiled, and LangGraph4j's chain row of such a size is not run (footnotes).%n%n",
          settings.iterations(), Format.seconds(settings.compileCapS())));
      out.append("| chain N | Graphloop compile (ms) | LangGraph4j compile (ms) | Graphloop compile per node (us) | "
          + "Graphloop per step (us) | LangGraph4j per step (us) | Graphloop allocated per step (B) | "
          + "LangGraph4j allocated per step (B) | target (Graphloop) | met? |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
      for (Workload chain : CHAINS) {
        int n = chain.shape(settings).size();
        JsonObject compile = summary(Workload.COMPILE_SCALING, G, CompileWorkload.metric(n));
        JsonObject step = summary(chain, G, "us_per_step");
        boolean compileTarget = n == 100_000;
        String target = "per step <= 1.00 us (flat)" + (compileTarget ? "; compile <= 1,000 ms" : "");
        String met = step == null ? "" : step.getDouble("value") <= 1.0 ? "yes" : "NO";
        if (compileTarget && compile != null) {
          met = (met.isEmpty() || met.equals("yes")) && compile.getDouble("value") <= 1_000 ? met.isEmpty()
              ? "compile yes" : "yes" : "NO";
        }
        if (!ran(chain) && compile == null && !compiledOrCapped(n)) {
          continue;
        }
        out.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" | ")
            .append(compileCell(G, n)).append(" | ").append(compileCell(L, n)).append(" | ")
            .append(compile == null ? "" : String.format(Locale.ROOT, "%.2f", compile.getDouble("value") * 1e3 / n))
            .append(" | ").append(cell(chain, G, "us_per_step", "us")).append(" | ")
            .append(cell(chain, L, "us_per_step", "us")).append(" | ")
            .append(cell(chain, G, "alloc_bytes_per_step", "bytes")).append(" | ")
            .append(cell(chain, L, "alloc_bytes_per_step", "bytes")).append(" | ").append(target).append(" | ")
            .append(met).append(" |\n");
      }
      out.append('\n');
    }
    if (bursts) {
      out.append(String.format(Locale.ROOT, "**Concurrency R**: R runs of the seed graph (100 ms nodes) started at "
          + "once, median of %d fresh JVMs (min-max); peaks and GC cover the measured burst. LangGraph4j needs a thread "
          + "per run: at most %,d threads, beyond which runs queue; bursts over %,d runs are not run for it "
          + "(--lg4j-max-burst).%n%n", settings.concurrencyReps(), settings.lg4jMaxThreads(), settings.lg4jMaxBurst()));
      out.append("| R | Graphloop wall (s) | LangGraph4j wall (s) | Graphloop peak RSS (MB) | LangGraph4j peak RSS (MB) "
          + "| Graphloop GC (ms) | LangGraph4j GC (ms) | LangGraph4j peak threads | target (Graphloop) | met? |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
      for (Workload burst : BURSTS) {
        if (!ran(burst)) {
          continue;
        }
        Row wall = targetRow(burst, "wall_s");
        Row heap = targetRow(burst, "peak_heap_mb");
        JsonObject ourWall = summary(burst, G, "wall_s");
        JsonObject ourHeap = summary(burst, G, "peak_heap_mb");
        String target = wall != null ? "wall " + wall.targetText() : heap != null ? "completes, heap "
            + heap.targetText() : "";
        String met = wall != null ? (ourWall == null ? "NO (no number)" : wall.meets(ourWall.getDouble("value"))
            ? "yes" : "NO") : heap != null ? (ourHeap == null ? "NO (no number)" : heap.meets(ourHeap.getDouble(
            "value")) ? "yes" : "NO") : "";
        out.append("| ").append(burst.tableLabel().replace("concurrency ", "")).append(" | ")
            .append(cell(burst, G, "wall_s", "s")).append(" | ").append(cell(burst, L, "wall_s", "s")).append(" | ")
            .append(cell(burst, G, "peak_rss_mb", "MB")).append(" | ").append(cell(burst, L, "peak_rss_mb", "MB"))
            .append(" | ").append(cell(burst, G, "gc_ms", "MB")).append(" | ").append(cell(burst, L, "gc_ms", "MB"))
            .append(" | ").append(cell(burst, L, "peak_threads", "threads")).append(" | ").append(target)
            .append(" | ").append(met).append(" |\n");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Whether compileScaling has a number or a cap reason for chain {@code n}, for either system. */
  private boolean compiledOrCapped(int n) {
    for (String system : List.of(G, L)) {
      JsonObject metrics = firstMetrics(Workload.COMPILE_SCALING, system);
      if (metrics != null && (metrics.containsKey(CompileWorkload.metric(n))
          || metrics.containsKey(CompileWorkload.cappedMetric(n)))) {
        return true;
      }
    }
    return false;
  }

  private String compileCell(String system, int n) {
    JsonObject summary = summary(Workload.COMPILE_SCALING, system, CompileWorkload.metric(n));
    if (summary != null) {
      return range(summary, "ms");
    }
    JsonObject metrics = firstMetrics(Workload.COMPILE_SCALING, system);
    if (metrics != null && metrics.containsKey(CompileWorkload.cappedMetric(n))) {
      return "not measured: " + metrics.getString(CompileWorkload.cappedMetric(n));
    }
    return ran(Workload.COMPILE_SCALING) ? missing.apply(Workload.COMPILE_SCALING, system) : "";
  }

  private String cell(Workload workload, String system, String metric, String unit) {
    JsonObject summary = summary(workload, system, metric);
    if (summary != null) {
      return range(summary, unit);
    }
    return results.problem(workload, system) != null ? missing.apply(workload, system) : "-";
  }

  private static String range(JsonObject summary, String unit) {
    String value = Format.number(summary.getDouble("value"), unit);
    return summary.getJsonArray("samples").size() > 1 ? value + " (" + Format.number(summary.getDouble("min"), unit)
        + "-" + Format.number(summary.getDouble("max"), unit) + ")" : value;
  }

  private String line(String label, Workload workload, String ours, String theirs, String target, String met) {
    JsonObject g = summary(workload, G, ours);
    JsonObject l = summary(workload, L, theirs);
    String ratio = g != null && l != null ? Format.ratio(g.getDouble("value") / l.getDouble("value")) : "";
    return "| " + label + " | " + cell(workload, G, ours, "runs/s") + " | " + cell(workload, L, theirs, "runs/s")
        + " | " + ratio + " | " + target + " | " + met + " |\n";
  }

  private static Row targetRow(Workload workload, String metric) {
    return Row.all().stream().filter(row -> row.workload() == workload && row.metric().equals(metric)
        && row.target() != null).findFirst().orElse(null);
  }

  private JsonObject summary(Workload workload, String system, String metric) {
    return results.summary(workload, system, metric);
  }

  private JsonObject firstMetrics(Workload workload, String system) {
    List<JsonObject> list = results.of(workload, system);
    return list.isEmpty() ? null : list.get(0).getJsonObject("metrics");
  }

  /** Whether the workload was selected for this run (for either system). */
  private boolean ran(Workload workload) {
    return results.ran(workload);
  }
}
