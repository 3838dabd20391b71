package io.graphloop.bench;

import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.AsyncNodeAction;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channel;
import org.bsc.langgraph4j.state.Channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * LangGraph4j ({@code org.bsc.langgraph4j:langgraph4j-core}) under test, used as its documentation
 * shows: a {@code StateGraph<AgentState>} with the default state serializer, nodes as
 * {@link AsyncNodeAction}s, {@code CompiledGraph.invoke(input)} to run.
 *
 * <p>{@code invoke} blocks its thread until the run ends (the run loop waits on each node's future
 * with {@code get()}), so one run needs one thread: sequential runs use the main thread, the closed loop
 * uses {@code lg4jThreads} threads, a burst starts one thread per run (up to {@code lg4jMaxThreads},
 * beyond that a pool of that many threads). Latency nodes return a {@link CompletableFuture} completed by a
 * scheduled executor (one thread per core), so the wait itself blocks nothing.
 *
 * <p>Used from the child's main thread.
 */
final class LangGraph4jAdapter implements SystemAdapter {

  private final Settings settings;
  private final ScheduledExecutorService timers;
  private CompiledGraph<AgentState> graph;
  private GraphShape shape;
  private Map<String, Object> input;
  /** The closed loop's threads when {@code lg4jThreads} is 0: the sweep's best, else one per core. */
  private int bestThreads = Runtime.getRuntime().availableProcessors();

  LangGraph4jAdapter(Settings settings) {
    this.settings = settings;
    this.timers = Executors.newScheduledThreadPool(Runtime.getRuntime().availableProcessors(), runnable -> {
      Thread thread = new Thread(runnable, "lg4j-latency-timer");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public String name() {
    return "LangGraph4j";
  }

  @Override
  public String version() {
    return "langgraph4j-core " + Versions.maven("org.bsc.langgraph4j", "langgraph4j-core");
  }

  @Override
  public void prepare(GraphShape shape) throws Exception {
    this.shape = shape;
    if (shape.remote()) {
      throw new UnsupportedShapeException(Notes.LANGGRAPH4J_ONE_JVM, null);
    }
    try {
      graph = build(shape).compile(CompileConfig.builder().recursionLimit(2 * shape.size() + 10).build());
    } catch (GraphStateException e) {
      throw new UnsupportedShapeException("LangGraph4j rejects the " + shape.kind() + " graph: " + e.getMessage(), e);
    }
    input = shape.kind() == GraphShape.Kind.SEED ? Map.of("query", "LangGraph async nodes")
        : shape.kind() == GraphShape.Kind.CHAIN ? Map.of("count", 0) : Map.of();
  }

  @Override
  public double compileChainMillis(int nodes) throws Exception {
    StateGraph<AgentState> chain = CompileScaling.lg4jChain(nodes);
    long start = System.nanoTime();
    CompiledGraph<AgentState> compiled = chain.compile(CompileConfig.builder().recursionLimit(2 * nodes + 10).build());
    double millis = (System.nanoTime() - start) / 1e6;
    if (compiled == null) {
      throw new IllegalStateException("LangGraph4j compiled no graph");
    }
    return millis;
  }

  private StateGraph<AgentState> build(GraphShape shape) throws GraphStateException {
    switch (shape.kind()) {
      case SEED:
        return new StateGraph<>(AgentState::new)
            .addNode("start", node_async(state -> Map.of()))
            .addNode("llm", latencyNode(shape.latencyMs(), "llm_result", "LLM answer for: "))
            .addNode("db", latencyNode(shape.latencyMs(), "db_result", "DB result for: "))
            .addEdge(START, "start")
            .addEdge("start", "llm")
            .addEdge("start", "db")
            .addEdge("llm", END)
            .addEdge("db", END);
      case CHAIN: {
        StateGraph<AgentState> chain = new StateGraph<>(AgentState::new);
        for (int i = 0; i < shape.size(); i++) {
          chain.addNode("n" + i, node_async(state -> Map.of("count", state.<Integer>value("count").orElse(0) + 1)));
          chain.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
        }
        return chain.addEdge("n" + (shape.size() - 1), END);
      }
      case FANOUT: {
        Map<String, Channel<?>> schema = Map.of("items", Channels.appenderWithDuplicate(ArrayList::new));
        StateGraph<AgentState> fanout = new StateGraph<>(schema, AgentState::new);
        for (int i = 0; i < shape.size(); i++) {
          int index = i;
          fanout.addNode("b" + i, node_async(state -> Map.of("items", List.of(index))));
          fanout.addEdge(START, "b" + i).addEdge("b" + i, "join");
        }
        return fanout.addNode("join", node_async(state -> Map.of("joined",
                state.<List<?>>value("items").map(List::size).orElse(0))))
            .addEdge("join", END);
      }
      default:
        throw new IllegalArgumentException("unknown shape " + shape);
    }
  }

  /** A node that writes {@code key} after {@code latencyMs}, without blocking (a timer completes its future). */
  private AsyncNodeAction<AgentState> latencyNode(long latencyMs, String key, String prefix) {
    return state -> {
      Map<String, Object> update = Map.of(key, prefix + state.value("query").orElse(""));
      if (latencyMs <= 0) {
        return CompletableFuture.completedFuture(update);
      }
      CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
      timers.schedule(() -> result.complete(update), latencyMs, TimeUnit.MILLISECONDS);
      return result;
    };
  }

  /** Runs the graph once on the calling thread; null when the final state is the expected one. */
  private String runOnce() {
    try {
      Optional<AgentState> result = graph.invoke(input);
      if (result.isEmpty()) {
        return "no final state";
      }
      Map<String, Object> data = result.get().data();
      boolean ok;
      switch (shape.kind()) {
        case SEED:
          ok = data.containsKey("query") && data.containsKey("llm_result") && data.containsKey("db_result");
          break;
        case CHAIN:
          ok = Integer.valueOf(shape.size()).equals(data.get("count"));
          break;
        default:
          ok = Integer.valueOf(shape.size()).equals(data.get("joined"));
      }
      return ok ? null : "unexpected final state " + data;
    } catch (RuntimeException e) {
      return String.valueOf(e);
    }
  }

  @Override
  public Batch sequential(long durationMs, long maxRuns) {
    Tally tally = new Tally();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
    long now;
    do {
      long runs = tally.record(runOnce());
      now = System.nanoTime();
      if (runs >= maxRuns) {
        break;
      }
    } while (now < deadline);
    return tally.batch(now - start);
  }

  /** LangGraph4j's only call is the blocking {@code invoke}: the same as {@link #sequential}. */
  @Override
  public Batch blockingSequential(long durationMs) {
    return sequential(durationMs, Long.MAX_VALUE);
  }

  /** With {@code lg4jThreads} threads, or its best count of the sweep when that is 0 (see {@link #threadsPerRun}). */
  @Override
  public Batch closedLoop(long durationMs) throws InterruptedException {
    return closedLoop(durationMs, settings.lg4jThreads() > 0 ? settings.lg4jThreads() : bestThreads);
  }

  /** One thread per run in flight: the throughput workload sweeps the thread count to find its best. */
  @Override
  public boolean threadsPerRun() {
    return true;
  }

  @Override
  public void useThreads(int threads) {
    bestThreads = threads;
  }

  @Override
  public Batch closedLoop(long durationMs, int threadCount) throws InterruptedException {
    Tally tally = new Tally();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < deadline) {
          tally.record(runOnce());
        }
      }, "lg4j-loop-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return tally.batch(System.nanoTime() - start);
  }

  @Override
  public Batch burst(int runs) throws InterruptedException {
    Tally tally = new Tally();
    CountDownLatch finished = new CountDownLatch(runs);
    AtomicInteger next = new AtomicInteger();
    int threads = Math.min(runs, settings.lg4jMaxThreads());
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(() -> {
        while (next.getAndIncrement() < runs) {
          tally.record(runOnce());
          finished.countDown();
        }
      }, "lg4j-run-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    finished.await();
    return tally.batch(System.nanoTime() - start);
  }

  @Override
  public String drivingNotes() {
    return "CompiledGraph.invoke blocks its thread for the whole run: sequential runs on one thread, throughput "
        + "with " + (settings.lg4jThreads() > 0 ? settings.lg4jThreads() + " threads"
            : "N threads (the best N of " + settings.lg4jSweep() + ", see the throughput pairs)")
        + " each invoking in a loop, bursts with one thread per run (at "
        + "most " + settings.lg4jMaxThreads() + " threads; beyond, runs queue for them); latency nodes complete a "
        + "CompletableFuture from a " + Runtime.getRuntime().availableProcessors() + "-thread scheduled executor";
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
