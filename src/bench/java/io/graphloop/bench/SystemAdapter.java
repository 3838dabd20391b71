package io.graphloop.bench;

/**
 * One system under test (Graphloop, LangGraph4j) as the workloads see it: build a {@link GraphShape},
 * then run it one run after another, in a closed loop with many runs in flight, or as a burst of runs
 * started at once. Each finished run's final state is checked; a wrong state counts as a failure.
 *
 * <p>Each adapter drives runs the way its API naturally does (Graphloop: futures composed on an event
 * loop; LangGraph4j: a blocking {@code invoke} per thread) and says how in {@link #drivingNotes()}.
 *
 * <p>Used from the child JVM's main thread only.
 */
interface SystemAdapter extends AutoCloseable {

  /** Thrown by {@link #prepare} when the system's API cannot express the shape. */
  final class UnsupportedShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedShapeException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The system's name as the table shows it. */
  String name();

  /** The system's exact version. */
  String version();

  /** Builds (and deploys) the graph; the other methods run it. */
  void prepare(GraphShape shape) throws Exception;

  /** Runs one run after another for about {@code durationMs}, at least one and at most {@code maxRuns}. */
  Batch sequential(long durationMs, long maxRuns) throws Exception;

  /**
   * Runs one run after another for about {@code durationMs} through the system's blocking call on the calling (plain)
   * thread: the path a new user's {@code main} takes (Graphloop's {@code invokeAndWait}, LangGraph4j's {@code invoke}).
   */
  Batch blockingSequential(long durationMs) throws Exception;

  /** Keeps the system's natural number of runs in flight for about {@code durationMs}, then drains them. */
  Batch closedLoop(long durationMs) throws Exception;

  /**
   * Whether each run in flight needs a thread of its own (LangGraph4j's blocking {@code invoke}): then the throughput
   * workload sweeps {@link #closedLoop(long, int)}'s thread count and measures at the best one.
   */
  default boolean threadsPerRun() {
    return false;
  }

  /** The closed loop with {@code threads} threads; only for {@link #threadsPerRun()} systems. */
  default Batch closedLoop(long durationMs, int threads) throws Exception {
    throw new UnsupportedOperationException(name() + " keeps its runs in flight without a thread each");
  }

  /** Makes {@link #closedLoop(long)} use {@code threads} threads; only for {@link #threadsPerRun()} systems. */
  default void useThreads(int threads) {
    throw new UnsupportedOperationException(name() + " keeps its runs in flight without a thread each");
  }

  /**
   * Milliseconds {@code compile()} of a freshly built chain of {@code nodes} nodes takes (the graph is built before the
   * clock starts; only the compile is timed); checks the compiled graph has the nodes.
   */
  default double compileChainMillis(int nodes) throws Exception {
    throw new UnsupportedShapeException(name() + " has no compile step to time", null);
  }

  /** Starts {@code runs} runs at once and waits until every one has finished. */
  Batch burst(int runs) throws Exception;

  /**
   * Like {@link #burst(int)}, started from {@code origin}; systems without event loops support only
   * {@link BurstOrigin#ONE_LOOP} (their own way of starting a burst).
   */
  /**
   * Heap retained per run in flight (issue 17): {@code runs} runs of the shape's graph with nodes that wait far longer
   * than the measurement, started from {@code origin}, the heap after a full GC with all of them parked, less the heap
   * before, divided by {@code runs}; the runs are then abandoned. -1 where the system cannot measure it.
   */
  default double retainedBytesPerRun(int runs, BurstOrigin origin) throws Exception {
    return -1;
  }

  default Batch burst(int runs, BurstOrigin origin) throws Exception {
    if (origin != BurstOrigin.ONE_LOOP) {
      throw new UnsupportedShapeException(name() + " has no event loops to start runs from: its bursts start "
          + "the same way whatever the origin (see the 'concurrency' rows)", null);
    }
    return burst(runs);
  }

  /** How this adapter drives runs (threads, in-flight limits), for the report. */
  String drivingNotes();

  /** Stops everything the adapter started. */
  @Override
  void close();
}
