package io.graphloop.bench;

/**
 * The graph a measurement runs, described independently of the system that runs it:
 * <ul>
 *   <li>{@code SEED}: {@code start -> (llm, db) -> END}, {@code llm} and {@code db} each wait
 *       {@code latencyMs} without blocking; the final state has {@code query}, {@code llm_result},
 *       {@code db_result}.</li>
 *   <li>{@code CHAIN}: {@code START -> n0 -> n1 -> ... -> n(size-1) -> END}; each node increments the int
 *       {@code count}; the final {@code count} is {@code size}.</li>
 *   <li>{@code FANOUT}: {@code START -> b0..b(size-1)} in parallel, each appending its index to the list
 *       channel {@code items}, {@code -> join -> END}; {@code join} writes {@code joined}, the list's size,
 *       which must be {@code size}.</li>
 * </ul>
 *
 * @param maxConcurrentRuns how many runs the measurement may start at once (runtimes that limit runs in
 *                          flight must allow at least this many)
 * @param remoteGraph       {@code null} when the whole graph runs in the measuring JVM; else the nodes run on a
 *                          second JVM, a worker member hosting the built-in graph of this name ({@code graphloop
 *                          member --role worker --graphs <name>}), which has this shape
 */
record GraphShape(Kind kind, int size, long latencyMs, int maxConcurrentRuns, String remoteGraph) {

  /** The kinds of graph the workloads use. */
  enum Kind { SEED, CHAIN, FANOUT }

  static GraphShape seed(long latencyMs, int maxConcurrentRuns) {
    return new GraphShape(Kind.SEED, 3, latencyMs, maxConcurrentRuns, null);
  }

  static GraphShape chain(int nodes) {
    return new GraphShape(Kind.CHAIN, nodes, 0, 1, null);
  }

  /** {@code threads} chains of {@code nodes} nodes in flight at once, each node waiting {@code latencyMs}. */
  static GraphShape durableChains(int nodes, long latencyMs, int threads) {
    return new GraphShape(Kind.CHAIN, nodes, latencyMs, threads, null);
  }

  static GraphShape fanout(int branches) {
    return new GraphShape(Kind.FANOUT, branches, 0, 1, null);
  }

  /** The same shape with its nodes on another JVM, hosting the built-in graph {@code graph} of this shape. */
  GraphShape onAnotherJvm(String graph) {
    return new GraphShape(kind, size, latencyMs, maxConcurrentRuns, graph);
  }

  /** Whether the nodes run on another JVM. */
  boolean remote() {
    return remoteGraph != null;
  }

  /** The graph's name (letters, digits, '-'): the built-in graph's when remote. */
  String name() {
    return remote() ? remoteGraph : kind.name().toLowerCase() + "-" + size + "-" + latencyMs;
  }
}
