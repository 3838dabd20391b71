package io.graphloop.bench;

import java.util.List;

/**
 * One line of the results table: a metric of a workload, its unit, which direction is better and the
 * issue's target for Graphloop (null for none).
 */
record Row(Workload workload, String metric, String label, String unit, boolean lowerIsBetter, Double target) {

  /** The table's lines, in order. */
  static List<Row> all() {
    return List.of(
        new Row(Workload.SEED, "elapsed_s", "elapsed", "s", true, 2.02),
        new Row(Workload.COMPILE_SCALING, CompileWorkload.metric(10_000), "compile(), chain 10,000", "ms", true, null),
        new Row(Workload.COMPILE_SCALING, CompileWorkload.metric(100_000), "compile(), chain 100,000", "ms", true,
            1_000.0),
        new Row(Workload.CHAIN_10, "us_per_step", "per step", "us", true, null),
        new Row(Workload.CHAIN_100, "us_per_step", "per step", "us", true, 3.0),
        new Row(Workload.CHAIN_1000, "us_per_step", "per step", "us", true, 3.0),
        new Row(Workload.CHAIN_3000, "us_per_step", "per step", "us", true, 1.0),
        new Row(Workload.CHAIN_10000, "us_per_step", "per step", "us", true, 1.0),
        new Row(Workload.CHAIN_100000, "us_per_step", "per step", "us", true, null),
        new Row(Workload.CHAIN_100000, "alloc_bytes_per_step", "allocated per step (load-free)", "bytes", true, null),
        new Row(Workload.CHAIN_100, "cpu_us_per_step", "CPU per step (all threads)", "us", true, null),
        new Row(Workload.CHAIN_1000, "cpu_us_per_step", "CPU per step (all threads)", "us", true, null),
        new Row(Workload.CHAIN_3000, "cpu_us_per_step", "CPU per step (all threads)", "us", true, null),
        new Row(Workload.CHAIN_10000, "cpu_us_per_step", "CPU per step (all threads)", "us", true, null),
        new Row(Workload.CHAIN_100, "loop_cpu_us_per_step", "CPU per step (event loops, load-free)", "us", true, null),
        new Row(Workload.CHAIN_100, "alloc_bytes_per_step", "allocated per step (load-free)", "bytes", true, null),
        new Row(Workload.CHAIN_1000, "loop_cpu_us_per_step", "CPU per step (event loops, load-free)", "us", true, null),
        new Row(Workload.CHAIN_1000, "alloc_bytes_per_step", "allocated per step (load-free)", "bytes", true, null),
        new Row(Workload.CHAIN_3000, "loop_cpu_us_per_step", "CPU per step (event loops, load-free)", "us", true, null),
        new Row(Workload.CHAIN_3000, "alloc_bytes_per_step", "allocated per step (load-free)", "bytes", true, null),
        new Row(Workload.CHAIN_10000, "loop_cpu_us_per_step", "CPU per step (event loops, load-free)", "us", true, null),
        new Row(Workload.CHAIN_10000, "alloc_bytes_per_step", "allocated per step (load-free)", "bytes", true, null),
        new Row(Workload.FANOUT_10, "ms_per_run", "per run", "ms", true, 0.05),
        new Row(Workload.ONE_IN_FLIGHT, "runs_per_s_blocking", "throughput, blocking call on main (invokeAndWait; "
            + "invoke)", "runs/s", false, null),
        new Row(Workload.ONE_IN_FLIGHT, "runs_per_s_composed", "throughput, composed on an event loop (LangGraph4j: "
            + "invoke)", "runs/s", false, null),
        new Row(Workload.THROUGHPUT, "runs_per_s", "throughput, many in flight (Graphloop: runs in flight; "
            + "LangGraph4j its best thread count)", "runs/s", false, 100_000.0),
        new Row(Workload.CONCURRENCY_1K, "wall_s", "wall", "s", true, null),
        new Row(Workload.CONCURRENCY_1K, "peak_rss_mb", "peak RSS", "MB", true, null),
        new Row(Workload.CONCURRENCY_1K, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CONCURRENCY_10K, "wall_s", "wall", "s", true, 0.25),
        new Row(Workload.CONCURRENCY_10K, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CONCURRENCY_10K, "peak_threads", "peak threads", "threads", true, 40.0),
        new Row(Workload.CONCURRENCY_10K, "peak_rss_mb", "peak RSS", "MB", true, 300.0),
        new Row(Workload.CONCURRENCY_10K, "peak_heap_mb", "peak heap used", "MB", true, null),
        new Row(Workload.CONCURRENCY_100K, "wall_s", "wall", "s", true, 1.0),
        new Row(Workload.CONCURRENCY_100K, "peak_threads", "peak threads", "threads", true, null),
        new Row(Workload.CONCURRENCY_100K, "peak_rss_mb", "peak RSS", "MB", true, null),
        new Row(Workload.CONCURRENCY_100K, "peak_heap_mb", "peak heap used", "MB", true, null),
        new Row(Workload.CONCURRENCY_100K, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CONCURRENCY_100K_LOOPS, "wall_s", "wall", "s", true, 1.0),
        new Row(Workload.CONCURRENCY_100K_LOOPS, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CONCURRENCY_100K_THREAD, "wall_s", "wall", "s", true, 1.0),
        new Row(Workload.CONCURRENCY_100K_THREAD, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CONCURRENCY_100K, "retained_bytes_per_run", "retained per run in flight (load-free)", "bytes", true,
            null),
        new Row(Workload.CONCURRENCY_100K, "alloc_bytes_per_run", "allocated per run (load-free)", "bytes", true, null),
        new Row(Workload.CONCURRENCY_100K_LOOPS, "retained_bytes_per_run", "retained per run in flight (load-free)", "bytes", true,
            null),
        new Row(Workload.CONCURRENCY_100K_LOOPS, "alloc_bytes_per_run", "allocated per run (load-free)", "bytes", true, null),
        new Row(Workload.CONCURRENCY_100K_THREAD, "retained_bytes_per_run", "retained per run in flight (load-free)", "bytes", true,
            null),
        new Row(Workload.CONCURRENCY_100K_THREAD, "alloc_bytes_per_run", "allocated per run (load-free)", "bytes", true, null),
        new Row(Workload.CONCURRENCY_1M, "wall_s", "wall", "s", true, null),
        new Row(Workload.CONCURRENCY_1M, "peak_rss_mb", "peak RSS", "MB", true, null),
        new Row(Workload.CONCURRENCY_1M, "peak_heap_mb", "peak heap used", "MB", true, 4096.0),
        new Row(Workload.CONCURRENCY_1M, "gc_ms", "GC during the burst", "ms", true, null),
        new Row(Workload.CLUSTER_CHAIN_100, "ms_per_step", "per step", "ms", true, 0.3),
        new Row(Workload.CLUSTER_THROUGHPUT, "runs_per_s", "throughput", "runs/s", false, null),
        new Row(Workload.CHECKPOINTED_CHAIN_MEMORY, "us_per_step_sync", "per step, durability sync", "us", true, null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE, "us_per_step_sync", "per step, durability sync", "us", true, null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES, "us_per_step_sync", "per step, durability sync", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE, "us_per_step_async", "per step, durability async", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE, "us_per_step_exit", "per step, durability exit", "us", true, null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES, "us_per_step_async", "per step, durability async", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES, "us_per_step_exit", "per step, durability exit", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE_1MS, "us_per_step_sync", "per step, durability sync", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE_1MS, "us_per_step_async", "per step, durability async", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_SQLITE_1MS, "us_per_step_exit", "per step, durability exit", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES_1MS, "us_per_step_sync", "per step, durability sync", "us", true,
            null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES_1MS, "us_per_step_async", "per step, durability async", "us",
            true, null),
        new Row(Workload.CHECKPOINTED_CHAIN_POSTGRES_1MS, "us_per_step_exit", "per step, durability exit", "us", true,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE_100, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE_100, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms", true,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE_1000, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE_1000, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms", true,
            null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_100, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_100, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms",
            true, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_1000, "durable_steps_per_s", "durable steps/s (sync)", "steps/s",
            false, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_1000, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms",
            true, null),
        new Row(Workload.DURABLE_STEPS_SQLITE, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            20_000.0),
        new Row(Workload.DURABLE_STEPS_SQLITE, "statements_per_save", "store statements per save (load-independent)",
            "statements", true, null),
        new Row(Workload.DURABLE_STEPS_SQLITE, "cpu_us_per_step", "process CPU per durable step", "us", true, null),
        new Row(Workload.DURABLE_STEPS_SQLITE, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms", true,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE, "bound_steps_per_s", "bound: disk commits/s x saves per commit",
            "steps/s", false, null),
        new Row(Workload.DURABLE_STEPS_SQLITE_OFF, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            null),
        new Row(Workload.DURABLE_STEPS_SQLITE_OFF, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms", true,
            null),
        new Row(Workload.DURABLE_STEPS_POSTGRES, "durable_steps_per_s", "durable steps/s (sync)", "steps/s", false,
            20_000.0),
        new Row(Workload.DURABLE_STEPS_POSTGRES, "statements_per_save", "store statements per save (load-independent)",
            "statements", true, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES, "cpu_us_per_step", "process CPU per durable step", "us", true, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms", true,
            null),
        new Row(Workload.DURABLE_STEPS_POSTGRES, "bound_steps_per_s", "bound: disk commits/s x saves per commit",
            "steps/s", false, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_DEFAULTS, "durable_steps_per_s", "durable steps/s (sync)", "steps/s",
            false, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_DEFAULTS, "cpu_us_per_step", "process CPU per durable step", "us",
            true, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_DEFAULTS, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms",
            true, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_OFF, "durable_steps_per_s", "durable steps/s (sync)", "steps/s",
            false, null),
        new Row(Workload.DURABLE_STEPS_POSTGRES_OFF, "p99_step_ms", "p99 step latency (10 ms node + save)", "ms",
            true, null));
  }

  /** The target as text, e.g. {@code <= 3 us}. */
  String targetText() {
    return target == null ? "" : (lowerIsBetter ? "<= " : ">= ") + Format.number(target, unit) + " " + unit;
  }

  /** Whether {@code value} meets the target (true when there is none). */
  boolean meets(double value) {
    return target == null || (lowerIsBetter ? value <= target : value >= target);
  }

  /** How many times better Graphloop's value is than LangGraph4j's (above 1: Graphloop is better). */
  double advantage(double graphloop, double langgraph4j) {
    return lowerIsBetter ? langgraph4j / graphloop : graphloop / langgraph4j;
  }
}
