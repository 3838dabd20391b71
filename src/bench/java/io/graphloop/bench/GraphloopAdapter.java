package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.GraphCatalog;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Graphloop under test: deploys the shape with {@link GraphRuntime#deploy} on a default {@link Vertx}
 * (one coordinator and one instance of each node per event loop) and drives runs with
 * {@link GraphClient#invoke} from one event-loop context, composing futures: nothing waits on an event
 * loop. The child's main thread only waits for a batch's {@link CompletableFuture}.
 *
 * <p>With {@link RemoteNodes}, the same runs go to a coordinator-only deployment of a built-in graph on a clustered
 * Vert.x, whose nodes are hosted by a worker member in a second JVM.
 *
 * <p>Used from the child's main thread; the run loops are confined to the driver context.
 */
final class GraphloopAdapter implements SystemAdapter {

  private static final long CLIENT_TIMEOUT_MS = 600_000;
  private static final long WAIT_MINUTES = 15;
  private static final int BURST_CHUNK = 1_000;
  /** How long a parked run's nodes wait ({@link #retainedBytesPerRun}): far longer than the measurement. */
  private static final long PARKED_NODE_MS = 600_000;
  private static final long PARK_WAIT_MS = 300_000;

  private final Settings settings;
  private final RemoteNodes remote;
  private final Vertx vertx;
  private Context driver;
  private List<Context> loops;
  private GraphRuntime runtime;
  private GraphClient client;
  private GraphShape shape;
  private Map<String, Object> input;

  GraphloopAdapter(Settings settings) {
    this(settings, null);
  }

  /** With {@code remote}, the nodes run on its worker JVM; {@link #close()} stops it. */
  GraphloopAdapter(Settings settings, RemoteNodes remote) {
    this.settings = settings;
    this.remote = remote;
    this.vertx = remote == null ? Vertx.vertx() : remote.vertx();
  }

  @Override
  public String name() {
    return "Graphloop";
  }

  @Override
  public String version() {
    return "graphloop " + Versions.maven("io.graphloop", "graphloop") + " (Vert.x " + Versions.vertx() + ")";
  }

  @Override
  public void prepare(GraphShape shape) throws Exception {
    this.shape = shape;
    CompiledGraph graph = shape.remote() ? GraphCatalog.of(java.util.List.of(new io.graphloop.examples.ExampleGraphs())).graph(shape.remoteGraph()) : build(shape);
    if (shape.kind() == GraphShape.Kind.CHAIN && graph.nodes().size() != shape.size()) {
      throw new IllegalStateException("graph '" + graph.name() + "' has " + graph.nodes().size() + " nodes, not "
          + shape.size());
    }
    input = shape.kind() == GraphShape.Kind.SEED ? SeedGraph.input()
        : shape.kind() == GraphShape.Kind.CHAIN ? Map.of("count", 0) : Map.of();
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setMaxInFlightRuns(Math.max(GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS, shape.maxConcurrentRuns()))
        // all runs are sent at once on purpose: their backlog must not count as overload
        .setMaxRunBacklog(Math.max(GraphRuntimeOptions.DEFAULT_MAX_RUN_BACKLOG, 4 * shape.maxConcurrentRuns()))
        // chains longer than the default budget (10,007 steps) get LangGraph4j's 2N+10, as its adapter does
        .setRecursionLimit(Math.max(GraphRuntimeOptions.DEFAULT_RECURSION_LIMIT, 2 * shape.size() + 10));
    if (remote != null) {
      options.setNodes(List.of()); // coordinators only: every node is on the worker JVM
    }
    runtime = await(GraphRuntime.deploy(vertx, graph, options).toCompletionStage().toCompletableFuture());
    // a burst sends every run at once: the client must let all of them wait (its default bound, 100,000, refused
    // runs of the 1,000,000-run burst as soon as sending outpaced finishing)
    client = GraphClient.create(vertx, graph.name(), CLIENT_TIMEOUT_MS,
        Math.max(GraphClient.DEFAULT_MAX_PENDING_RUNS, shape.maxConcurrentRuns()));
    driver = vertx.getOrCreateContext();
  }

  @Override
  public double compileChainMillis(int nodes) {
    io.graphloop.graph.StateGraph chain = CompileScaling.graphloopChain(nodes);
    long start = System.nanoTime();
    CompiledGraph compiled = chain.compile();
    double millis = (System.nanoTime() - start) / 1e6;
    if (compiled.nodes().size() != nodes) {
      throw new IllegalStateException("compiled " + compiled.nodes().size() + " nodes, not " + nodes);
    }
    return millis;
  }

  static CompiledGraph build(GraphShape shape) {
    switch (shape.kind()) {
      case SEED:
        return SeedGraph.build(shape.name(), shape.latencyMs());
      case CHAIN: {
        StateGraph graph = new StateGraph(shape.name());
        for (int i = 0; i < shape.size(); i++) {
          graph.addNode("n" + i, state -> Future.succeededFuture(Map.of("count", state.getInteger("count") + 1)));
          graph.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
        }
        return graph.addEdge("n" + (shape.size() - 1), END).compile();
      }
      case FANOUT: {
        StateGraph graph = new StateGraph(shape.name()).channel("items", Channels.append());
        for (int i = 0; i < shape.size(); i++) {
          int index = i;
          graph.addNode("b" + i, state -> Future.succeededFuture(Map.of("items", List.of(index))));
          graph.addEdge(START, "b" + i).addEdge("b" + i, "join");
        }
        return graph.addNode("join", state -> Future.succeededFuture(Map.of("joined", state.getList("items").size())))
            .addEdge("join", END).compile();
      }
      default:
        throw new IllegalArgumentException("unknown shape " + shape);
    }
  }

  /** Null when {@code state} is the expected final state, else what is wrong with it. */
  private String check(AsyncResult<State> result) {
    if (result.failed()) {
      return String.valueOf(result.cause());
    }
    State state = result.result();
    boolean ok;
    switch (shape.kind()) {
      case SEED:
        ok = SeedGraph.isComplete(state);
        break;
      case CHAIN:
        ok = Integer.valueOf(shape.size()).equals(state.getInteger("count"));
        break;
      default:
        ok = Integer.valueOf(shape.size()).equals(state.getInteger("joined"));
    }
    return ok ? null : "unexpected final state " + state;
  }

  @Override
  public Batch sequential(long durationMs, long maxRuns) throws Exception {
    CompletableFuture<Batch> done = new CompletableFuture<>();
    driver.runOnContext(v -> new Loop(durationMs, maxRuns, 1, done).start());
    return await(done);
  }

  /** {@code invokeAndWait} on the calling thread (the child's main thread), one run after another. */
  @Override
  public Batch blockingSequential(long durationMs) {
    Tally tally = new Tally();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
    long now;
    do {
      String error;
      try {
        error = check(io.vertx.core.Future.succeededFuture(client.invokeAndWait(input)));
      } catch (RuntimeException e) {
        error = String.valueOf(e);
      }
      tally.record(error);
      now = System.nanoTime();
    } while (now < deadline);
    return tally.batch(now - start);
  }

  @Override
  public Batch closedLoop(long durationMs) throws Exception {
    CompletableFuture<Batch> done = new CompletableFuture<>();
    driver.runOnContext(v -> new Loop(durationMs, Long.MAX_VALUE, settings.inFlight(), done).start());
    return await(done);
  }

  /**
   * Keeps {@code width} runs in flight (each finished run starts the next) until the time is up or
   * {@code maxRuns} runs have finished, then completes {@code done} once the last run in flight is back.
   * Confined to the driver context.
   */
  private final class Loop {
    private final Tally tally = new Tally();
    private final long maxRuns;
    private final int width;
    private final CompletableFuture<Batch> done;
    private final long start = System.nanoTime();
    private final long deadline;
    private long started;
    private int outstanding;

    Loop(long durationMs, long maxRuns, int width, CompletableFuture<Batch> done) {
      this.maxRuns = maxRuns;
      this.width = width;
      this.done = done;
      this.deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
    }

    void start() {
      for (int i = 0; i < width; i++) {
        launch();
      }
    }

    private void launch() {
      outstanding++;
      started++;
      client.invoke(input).onComplete(result -> {
        outstanding--;
        tally.record(check(result));
        long now = System.nanoTime();
        if (now < deadline && started < maxRuns) {
          launch();
        } else if (outstanding == 0) {
          done.complete(tally.batch(now - start));
        }
      });
    }
  }

  @Override
  public Batch burst(int runs) throws Exception {
    return burst(runs, BurstOrigin.ONE_LOOP);
  }

  @Override
  public Batch burst(int runs, BurstOrigin origin) throws Exception {
    CompletableFuture<Batch> done = new CompletableFuture<>();
    switch (origin) {
      case ONE_LOOP: {
        Burst burst = new Burst(runs, new Tally(), System.nanoTime(), done);
        driver.runOnContext(v -> burst.send(driver, runs));
        break;
      }
      case MANY_LOOPS: {
        Burst burst = new Burst(runs, new Tally(), System.nanoTime(), done);
        List<Context> loops = everyLoop();
        for (int i = 0; i < loops.size(); i++) {
          Context loop = loops.get(i);
          int share = runs / loops.size() + (i < runs % loops.size() ? 1 : 0);
          loop.runOnContext(v -> burst.send(loop, share));
        }
        break;
      }
      default: { // PLAIN_THREAD: this (main) thread calls invoke for every run
        Burst burst = new Burst(runs, new Tally(), System.nanoTime(), done);
        for (int i = 0; i < runs; i++) {
          client.invoke(input).onComplete(burst::finished);
        }
      }
    }
    return await(done);
  }

  /**
   * Deploys the seed graph again with nodes that wait {@value #PARKED_NODE_MS} ms, starts {@code runs} runs from
   * {@code origin} as a burst does, waits until every one is in flight and past its first step (their nodes' timers
   * set), and compares the heap after a full GC with the heap before; then undeploys that graph (its runs end as
   * cancelled). Only for the seed shape on one JVM.
   */
  @Override
  public double retainedBytesPerRun(int runs, BurstOrigin origin) throws Exception {
    if (shape.kind() != GraphShape.Kind.SEED || remote != null) {
      return -1;
    }
    CompiledGraph graph = SeedGraph.build(shape.name() + "-parked", PARKED_NODE_MS);
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setMaxInFlightRuns(Math.max(GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS, runs))
        .setMaxRunBacklog(Math.max(GraphRuntimeOptions.DEFAULT_MAX_RUN_BACKLOG, 4 * runs))
        .setNodeTimeoutMs(2 * PARKED_NODE_MS);
    GraphRuntime parked = await(GraphRuntime.deploy(vertx, graph, options).toCompletionStage().toCompletableFuture());
    try {
      GraphClient to = GraphClient.create(vertx, graph.name(), 2 * PARKED_NODE_MS);
      long before = LoadFree.heapAfterGc();
      Burst burst = new Burst(Integer.MAX_VALUE, new Tally(), System.nanoTime(), new CompletableFuture<>());
      switch (origin) {
        case ONE_LOOP:
          driver.runOnContext(v -> burst.send(to, driver, runs));
          break;
        case MANY_LOOPS: {
          List<Context> loops = everyLoop();
          for (int i = 0; i < loops.size(); i++) {
            Context loop = loops.get(i);
            int share = runs / loops.size() + (i < runs % loops.size() ? 1 : 0);
            loop.runOnContext(v -> burst.send(to, loop, share));
          }
          break;
        }
        default:
          for (int i = 0; i < runs; i++) {
            to.invoke(input).onComplete(burst::finished);
          }
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PARK_WAIT_MS);
      long executions = 2L * runs; // llm and db of every run (start ran already): every run is parked on its timers
      while (parked.metrics().runsInFlight() < runs || parked.metrics().node("db").executions()
          + parked.metrics().node("llm").executions() < executions) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + parked.metrics().runsInFlight() + " of " + runs
              + " parked runs were in flight after " + PARK_WAIT_MS + " ms");
        }
        Thread.sleep(20);
      }
      long after = LoadFree.heapAfterGc();
      return LoadFree.per(before, after, runs);
    } finally {
      await(parked.undeploy().toCompletionStage().toCompletableFuture());
    }
  }

  /** One context per event loop of the Vert.x instance (made once). */
  private List<Context> everyLoop() {
    if (loops == null) {
      io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) vertx;
      List<Context> made = new java.util.ArrayList<>();
      for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
        made.add(internal.contextBuilder().withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
            .withEventLoop((io.netty.channel.EventLoop) loop).build());
      }
      loops = made;
    }
    return loops;
  }

  /**
   * Counts a burst's runs as they finish and completes {@code done} with the last; {@link #send} starts a share of
   * the runs from one context, {@value #BURST_CHUNK} per event-loop task so that sending 100,000 requests never holds
   * an event loop for long. Several contexts may send and finish runs of one burst: the tally is thread-safe.
   */
  private final class Burst {
    private final int runs;
    private final Tally tally;
    private final long start;
    private final CompletableFuture<Batch> done;

    Burst(int runs, Tally tally, long start, CompletableFuture<Batch> done) {
      this.runs = runs;
      this.tally = tally;
      this.start = start;
      this.done = done;
    }

    void send(Context from, int left) {
      send(client, from, left);
    }

    void send(GraphClient to, Context from, int left) {
      int now = Math.min(left, BURST_CHUNK);
      for (int i = 0; i < now; i++) {
        to.invoke(input).onComplete(this::finished);
      }
      if (left > now) {
        from.runOnContext(v -> send(to, from, left - now));
      }
    }

    void finished(AsyncResult<State> result) {
      if (tally.record(check(result)) == runs) {
        done.complete(tally.batch(System.nanoTime() - start));
      }
    }
  }

  @Override
  public String drivingNotes() {
    return "GraphClient.invoke futures composed on one event-loop context; Vert.x defaults ("
        + (2 * Runtime.getRuntime().availableProcessors()) + " event loops, one coordinator and one instance per "
        + "node per loop); throughput keeps " + settings.inFlight() + " runs in flight"
        + (remote == null ? "" : "; nodes on another JVM: " + remote.describe());
  }

  @Override
  public void close() {
    try {
      if (runtime != null) {
        await(runtime.undeploy().toCompletionStage().toCompletableFuture());
      }
      await(vertx.close().toCompletionStage().toCompletableFuture());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop Graphloop: " + e, e);
    } finally {
      if (remote != null) {
        remote.close();
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_MINUTES, TimeUnit.MINUTES);
  }
}
