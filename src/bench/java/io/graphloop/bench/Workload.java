package io.graphloop.bench;

/**
 * The workloads of the benchmark, each with the graph it runs and how it is measured. Every
 * (workload, system) pair runs in its own child JVM.
 */
enum Workload {

  /** Issue 17's scaling section: compile() of chains of 10 to 100,000 nodes (CompileWorkload), first. */
  COMPILE_SCALING("compileScaling", "compile chain N", GraphShape.chain(10), new CompileWorkload()),
  SEED("seed", "seed (2 s latency per node)", GraphShape.seed(2_000, 1), new SeedWorkload()),
  /** Issue 17's scaling section: chains of 10 to 100,000 nodes (per step; compile time is CompileScaling's). */
  CHAIN_10("chain10", "chain 10", GraphShape.chain(10), new SteadyStateWorkload()),
  CHAIN_100("chain100", "chain 100", GraphShape.chain(100), new SteadyStateWorkload()),
  CHAIN_1000("chain1000", "chain 1,000", GraphShape.chain(1_000), new SteadyStateWorkload()),
  /** Per-step cost must not grow with the graph (issue 17): the same chain at 3,000 and 10,000 nodes. */
  CHAIN_3000("chain3000", "chain 3,000", GraphShape.chain(3_000), new SteadyStateWorkload()),
  CHAIN_10000("chain10000", "chain 10,000", GraphShape.chain(10_000), new SteadyStateWorkload()),
  CHAIN_100000("chain100000", "chain 100,000", GraphShape.chain(100_000), new SteadyStateWorkload()),
  FANOUT_10("fanout10", "fanout 10", GraphShape.fanout(10), new SteadyStateWorkload()),
  /** The seed graph without latency, one run in flight: the blocking call from a plain thread, and composed. */
  ONE_IN_FLIGHT("oneInFlight", "one run in flight (seed, 0 ms)", GraphShape.seed(0, 1), new OneInFlightWorkload()),
  THROUGHPUT("throughput", "throughput (seed, 0 ms)", null, new ThroughputWorkload()),
  /** Issue 17's scaling section: bursts of 1,000 to 1,000,000 runs. */
  CONCURRENCY_1K("concurrency1000", "concurrency 1,000 (100 ms)", GraphShape.seed(100, 1_000),
      new ConcurrencyWorkload()),
  CONCURRENCY_10K("concurrency10000", "concurrency 10,000 (100 ms)", GraphShape.seed(100, 10_000),
      new ConcurrencyWorkload()),
  CONCURRENCY_100K("concurrency100000", "concurrency 100,000 (100 ms)", GraphShape.seed(100, 100_000),
      new ConcurrencyWorkload()),
  CONCURRENCY_100K_LOOPS("concurrency100000Loops", "concurrency 100,000 (100 ms), " + BurstOrigin.MANY_LOOPS.label(),
      GraphShape.seed(100, 100_000), new ConcurrencyWorkload(BurstOrigin.MANY_LOOPS)),
  CONCURRENCY_100K_THREAD("concurrency100000Thread", "concurrency 100,000 (100 ms), "
      + BurstOrigin.PLAIN_THREAD.label(), GraphShape.seed(100, 100_000),
      new ConcurrencyWorkload(BurstOrigin.PLAIN_THREAD)),
  /** One million runs of the seed graph in flight at once, on a 4 GB heap (its child gets -Xmx4g). */
  CONCURRENCY_1M("concurrency1000000", "concurrency 1,000,000 (100 ms), 4 GB heap", GraphShape.seed(100, 1_000_000),
      new ConcurrencyWorkload()),
  /** The coordinator in the measuring JVM, every node on a worker member in a second JVM (clustered event bus). */
  CLUSTER_CHAIN_100("clusterChain100", "chain 100, nodes on another JVM", GraphShape.chain(100).onAnotherJvm("chain"),
      new SteadyStateWorkload()),
  /** Throughput's seed graph with its nodes on a worker member in a second JVM. */
  CLUSTER_THROUGHPUT("clusterThroughput", "throughput across two JVMs (seed, 0 ms)", null, new ThroughputWorkload()),
  /** Chain 100 on a thread, a checkpoint per step, each store (CheckpointedChainWorkload, CheckpointedRuns). */
  CHECKPOINTED_CHAIN_MEMORY("checkpointedChain100Memory", "checkpointed chain 100 (sync stores), memory",
      GraphShape.chain(100), new CheckpointedChainWorkload("memory", java.util.List.of("sync"))),
  CHECKPOINTED_CHAIN_SQLITE("checkpointedChain100Sqlite", "checkpointed chain 100 (sync stores), SQLite",
      GraphShape.chain(100), new CheckpointedChainWorkload("sqlite", java.util.List.of("sync", "async", "exit"))),
  CHECKPOINTED_CHAIN_POSTGRES("checkpointedChain100Postgres", "checkpointed chain 100 (sync stores), PostgreSQL",
      GraphShape.chain(100), new CheckpointedChainWorkload("postgres", java.util.List.of("sync", "async", "exit"))),
  /** The same with blocking nodes that each sleep 1 ms (a stand-in for real work): async durability can hide saves. */
  CHECKPOINTED_CHAIN_SQLITE_1MS("checkpointedChain100Sqlite1ms", "checkpointed chain 100, 1 ms nodes, SQLite",
      new GraphShape(GraphShape.Kind.CHAIN, 100, 1, 1, null),
      new CheckpointedChainWorkload("sqlite", java.util.List.of("sync", "async", "exit"))),
  CHECKPOINTED_CHAIN_POSTGRES_1MS("checkpointedChain100Postgres1ms", "checkpointed chain 100, 1 ms nodes, PostgreSQL",
      new GraphShape(GraphShape.Kind.CHAIN, 100, 1, 1, null),
      new CheckpointedChainWorkload("postgres", java.util.List.of("sync", "async", "exit"))),
  /** Issue 18 at lower concurrencies: 100 and 1,000 threads in flight, group commit on (how it scales). */
  DURABLE_STEPS_SQLITE_100("durableStepsSqlite100", "durable steps, 100 threads in flight (chain 10, 10 ms), SQLite",
      GraphShape.durableChains(10, 10, 100), new DurableStepsWorkload("sqlite", true)),
  DURABLE_STEPS_SQLITE_1000("durableStepsSqlite1000", "durable steps, 1,000 threads in flight (chain 10, 10 ms), "
      + "SQLite", GraphShape.durableChains(10, 10, 1_000), new DurableStepsWorkload("sqlite", true)),
  DURABLE_STEPS_POSTGRES_100("durableStepsPostgres100", "durable steps, 100 threads in flight (chain 10, 10 ms), "
      + "PostgreSQL", GraphShape.durableChains(10, 10, 100), new DurableStepsWorkload("postgres", true)),
  DURABLE_STEPS_POSTGRES_1000("durableStepsPostgres1000", "durable steps, 1,000 threads in flight (chain 10, 10 ms), "
      + "PostgreSQL", GraphShape.durableChains(10, 10, 1_000), new DurableStepsWorkload("postgres", true)),
  /** Issue 18: 10,000 threads in flight, chains of 10 steps of 10 ms (timers), sync, group commit on and off. */
  DURABLE_STEPS_SQLITE("durableStepsSqlite", "durable steps, 10,000 threads in flight (chain 10, 10 ms), SQLite",
      GraphShape.durableChains(10, 10, 10_000), new DurableStepsWorkload("sqlite", true)),
  DURABLE_STEPS_SQLITE_OFF("durableStepsSqliteNoGroupCommit", "durable steps, 10,000 threads in flight (chain 10, "
      + "10 ms), SQLite, group commit off", GraphShape.durableChains(10, 10, 10_000),
      new DurableStepsWorkload("sqlite", false)),
  DURABLE_STEPS_POSTGRES("durableStepsPostgres", "durable steps, 10,000 threads in flight (chain 10, 10 ms), "
      + "PostgreSQL (production-like server settings)", GraphShape.durableChains(10, 10, 10_000),
      new DurableStepsWorkload("postgres", true)),
  /** The same on a server with PostgreSQL's default settings (BenchPostgres: why the row above has others). */
  DURABLE_STEPS_POSTGRES_DEFAULTS("durableStepsPostgresDefaults", "durable steps, 10,000 threads in flight (chain 10, "
      + "10 ms), PostgreSQL (server at its default settings)", GraphShape.durableChains(10, 10, 10_000),
      new DurableStepsWorkload("postgres", true, true)),
  /**
   * The same 10,000 threads on the memory store: what the engine, the checkpointer's planning and the rows' encoding
   * cost per durable step without a disk (the baseline of the CPU per step of the two rows above).
   */
  DURABLE_STEPS_MEMORY("durableStepsMemory", "durable steps, 10,000 threads in flight (chain 10, 10 ms), memory "
      + "store", GraphShape.durableChains(10, 10, 10_000), new DurableStepsWorkload("memory", true)),
  DURABLE_STEPS_POSTGRES_OFF("durableStepsPostgresNoGroupCommit", "durable steps, 10,000 threads in flight (chain "
      + "10, 10 ms), PostgreSQL, group commit off", GraphShape.durableChains(10, 10, 10_000),
      new DurableStepsWorkload("postgres", false));

  private final String id;
  private final String label;
  private final GraphShape shape;
  private final Measurer measurer;

  Workload(String id, String label, GraphShape shape, Measurer measurer) {
    this.id = id;
    this.label = label;
    this.shape = shape;
    this.measurer = measurer;
  }

  /** The workload's id on the command line and in result files. */
  String id() {
    return id;
  }

  /** How the table names it. */
  String label() {
    return label;
  }

  /** Whether the harness can measure it yet. */
  boolean available() {
    return measurer != null;
  }

  /** The graph it runs with these settings. */
  GraphShape shape(Settings settings) {
    if (this == CLUSTER_THROUGHPUT) {
      return GraphShape.seed(0, settings.inFlight()).onAnotherJvm("seed-fast");
    }
    return this == THROUGHPUT ? GraphShape.seed(0, settings.inFlight()) : shape;
  }

  Measurer measurer() {
    return measurer;
  }

  /**
   * The young generation the burst rows give their children (both systems): room for a burst's short-lived
   * allocation. With G1's default sizing, which shrinks the young generation to meet its 200 ms pause goal, a burst
   * of 100,000 runs took 13-15 young collections, each copying every run still in flight (about 0.5 s of the 1.5 s on
   * a quiet machine); with a fixed 1 GB young generation it takes 2-3 (issue 17, BENCHMARKS.md "What was tried").
   * A deployment expecting bursts would size it the same way (README, "Bursts and the heap").
   */
  static final String BURST_YOUNG_GEN = "-Xmn1g";

  /**
   * The committed heap of the 100,000-run rows' children: without it the young generation of {@link #BURST_YOUNG_GEN}
   * never exists. The harness's {@code -Xms256m} commits 256 MB, G1 sizes the young generation within the committed
   * heap, and JDK 17's "G1 Preventive Collection" collected at about 220 MB used instead of growing the heap: GC logs of
   * the three burst rows showed 3 young collections per burst of 100,000 (each copying every run in flight) at a
   * 256-268 MB heap, and the pre-burst {@code System.gc()} shrinks the heap back to 256 MB before every burst. With
   * {@code -Xms2g} (the harness's {@code -Xmx}) no young collection happened during the warm-up nor the burst (issue
   * 17, BENCHMARKS.md "What was tried").
   */
  static final String BURST_HEAP = "-Xms2g";

  /**
   * JVM flags this workload's child adds after the benchmark's own (a later flag wins): the million-run row's 4 GB
   * heap, and the burst rows' young generation ({@link #BURST_YOUNG_GEN}, with the 100,000-run rows' committed heap
   * {@link #BURST_HEAP}); the table's label names them.
   */
  java.util.List<String> extraJvmFlags() {
    switch (this) {
      case CONCURRENCY_1M:
        return java.util.List.of("-Xmx4g", BURST_YOUNG_GEN);
      case CONCURRENCY_100K:
      case CONCURRENCY_100K_LOOPS:
      case CONCURRENCY_100K_THREAD:
        return java.util.List.of(BURST_YOUNG_GEN, BURST_HEAP);
      default:
        return java.util.List.of();
    }
  }

  /** How the table names it: its label, and the JVM flags its child adds, if any. */
  String tableLabel() {
    java.util.List<String> flags = extraJvmFlags();
    return flags.isEmpty() ? label : label + " [JVM " + String.join(" ", flags) + "]";
  }

  /**
   * Named groups for {@code --only}: {@code issue17} is issue 17's regeneration (the engine rows, the throughput pairs
   * and the scaling section; not the cluster, checkpointed or durable rows, which have their own commands).
   */
  static final java.util.Map<String, java.util.List<Workload>> GROUPS = java.util.Map.of(
      "issue17", java.util.List.of(COMPILE_SCALING, SEED, CHAIN_10, CHAIN_100, CHAIN_1000, CHAIN_3000, CHAIN_10000,
          CHAIN_100000, FANOUT_10, ONE_IN_FLIGHT, THROUGHPUT, CONCURRENCY_1K, CONCURRENCY_10K, CONCURRENCY_100K,
          CONCURRENCY_100K_LOOPS, CONCURRENCY_100K_THREAD, CONCURRENCY_1M));

  /** The group of this name, or null. */
  static java.util.List<Workload> group(String name) {
    return GROUPS.get(name);
  }

  static Workload byId(String id) {
    for (Workload workload : values()) {
      if (workload.id.equals(id)) {
        return workload;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + id + "'");
  }
}
