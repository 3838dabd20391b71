package io.graphloop.bench;

/**
 * The workloads of the benchmark, each with the graph it runs and how it is measured. Every
 * (workload, system) pair runs in its own child JVM.
 */
enum Workload {

  SEED("seed", "seed (2 s latency per node)", GraphShape.seed(2_000, 1), new SeedWorkload()),
  CHAIN_100("chain100", "chain 100", GraphShape.chain(100), new SteadyStateWorkload()),
  CHAIN_1000("chain1000", "chain 1,000", GraphShape.chain(1_000), new SteadyStateWorkload()),
  FANOUT_10("fanout10", "fanout 10", GraphShape.fanout(10), new SteadyStateWorkload()),
  THROUGHPUT("throughput", "throughput (seed, 0 ms)", null, new ThroughputWorkload()),
  CONCURRENCY_10K("concurrency10000", "concurrency 10,000 (100 ms)", GraphShape.seed(100, 10_000),
      new ConcurrencyWorkload()),
  CONCURRENCY_100K("concurrency100000", "concurrency 100,000 (100 ms)", GraphShape.seed(100, 100_000),
      new ConcurrencyWorkload()),
  /** Not yet: Graphloop has no checkpoint stores; the report shows the row as not available. */
  CHECKPOINTED_CHAIN("checkpointedChain100", "checkpointed chain 100 (sync stores)", null, null);

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
    return this == THROUGHPUT ? GraphShape.seed(0, settings.inFlight()) : shape;
  }

  Measurer measurer() {
    return measurer;
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
