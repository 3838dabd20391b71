package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The child JVM of {@link OverloadIT}: deploys a graph whose one node takes 100 ms, then sends {@code args[0]} runs
 * with {@code GraphClient.invoke} as fast as it can, without waiting for any (from one event loop, in chunks of
 * {@code args[2]} per event-loop task, so replies are read in between), and counts the answers: succeeded, refused as overloaded
 * (503), other. Prints one line {@code BURST total=... answered=... succeeded=... overloaded=... other=...
 * firstRefusalMs=... firstRefusedRun=... firstRefusalLatencyMs=... firstRefusalChunksLater=... limit=... elapsedMs=...
 * heapPeakMb=...}: the first refusal's time since the burst began, which run it refused, how long after that run was
 * sent its refusal came (in ms, and in chunks the burst had sent meanwhile), and the runs the coordinators may hold at
 * once (one coordinator per event loop, each {@code maxInFlightRuns}). With a further argument {@code gate} the node
 * holds every run until the first refusal, so the burst fills the coordinators up to their limits whatever the
 * machine's speed (in chunks of 400 on a loaded machine, 100 ms runs ended as fast as they came, and the burst was
 * never refused). and exits 0 once every run is answered, 4 if not all were within
 * {@code args[1]} seconds. Started with {@code -XX:+ExitOnOutOfMemoryError}, so running out of memory ends it non-zero.
 */
public final class OverloadBurst {

  private static int CHUNK;
  /** When each chunk of the event-loop burst was sent ({@link System#nanoTime()}), by chunk index. */
  private static long[] chunkSent;
  /** The index of the first run refused as overloaded (-1 until one is), and when its refusal came. */
  private static final AtomicLong FIRST_REFUSED = new AtomicLong(-1);
  /** How many chunks had been sent when the first refusal came. */
  private static final AtomicLong FIRST_REFUSAL_CHUNKS = new AtomicLong(-1);
  private static final AtomicLong chunksSent = new AtomicLong();
  /** Runs held by the node until the first refusal. */
  private static final java.util.concurrent.atomic.AtomicBoolean GATE_OPEN =
      new java.util.concurrent.atomic.AtomicBoolean();
  private static final java.util.Queue<io.vertx.core.Promise<Void>> HELD =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private OverloadBurst() {
  }

  public static void main(String[] args) throws Exception {
    int total = Integer.parseInt(args[0]);
    long waitSeconds = Long.parseLong(args[1]);
    CHUNK = Integer.parseInt(args[2]);
    chunkSent = new long[(total + CHUNK - 1) / CHUNK];
    // A burst sent in one event-loop task holds that loop for as long as the sending takes, by design: it is the worst
    // case for memory (no reply is read before every run is queued). That loop's blocked-thread warnings (2.3-4.5 s on
    // the 2-core CI machine at 23:12 on 2026-12-07) would hide a real one in the log, so this JVM's checker allows
    // the whole bound of the burst in that case only.
    Vertx vertx = CHUNK >= total
        ? Vertx.vertx(new io.vertx.core.VertxOptions().setMaxEventLoopExecuteTime(waitSeconds)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS))
        : Vertx.vertx();
    // with "gate", the node holds its run until the first refusal, whatever the machine's speed: so the burst fills
    // the coordinators up to their limits and the refusal comes from them, not from how fast runs happen to end
    boolean gated = List.of(args).contains("gate");
    GATE_OPEN.set(!gated);
    StateGraph graph = new StateGraph("burst")
        .addNode("work", (state, ctx) -> ctx.vertx().timer(100).compose(t -> gate()).map(t -> Map.of("done", true)))
        .addEdge(START, "work").addEdge("work", END);
    GraphRuntime runtime = GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    GraphClient client = runtime.client();
    AtomicLong succeeded = new AtomicLong();
    AtomicLong overloaded = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong firstRefusal = new AtomicLong();
    CountDownLatch answered = new CountDownLatch(total);
    long started = System.nanoTime();
    if (args.length > 3 && args[3].equals("thread")) { // from a plain thread: outcomes are read while it sends
      for (int i = 0; i < total; i++) {
        client.invoke(Map.of("i", i)).onComplete(done -> count(done, -1, succeeded, overloaded, other, firstRefusal,
            answered));
      }
    } else {
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> sendChunk(context, client, 0, total, started, succeeded, overloaded, other,
          firstRefusal, answered));
    }
    boolean all = answered.await(waitSeconds, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - started;
    long refused = FIRST_REFUSED.get();
    System.out.printf("BURST total=%d answered=%d succeeded=%d overloaded=%d other=%d firstRefusalMs=%.1f "
            + "firstRefusedRun=%d firstRefusalLatencyMs=%.1f firstRefusalChunksLater=%d limit=%d elapsedMs=%d "
            + "heapPeakMb=%d%n", total,
        total - answered.getCount(), succeeded.get(), overloaded.get(), other.get(),
        firstRefusal.get() == 0 ? -1.0 : (firstRefusal.get() - started) / 1e6, refused,
        refused < 0 ? -1.0 : (firstRefusal.get() - chunkSent[(int) (refused / CHUNK)]) / 1e6,
        refused < 0 ? -1 : FIRST_REFUSAL_CHUNKS.get() - 1 - refused / CHUNK,
        (long) io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE * GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS,
        TimeUnit.NANOSECONDS.toMillis(elapsed), heapPeakMb());
    System.out.flush();
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.exit(all ? 0 : 4);
  }

  private static void sendChunk(Context context, GraphClient client, int from, int total, long started,
                                AtomicLong succeeded, AtomicLong overloaded, AtomicLong other, AtomicLong firstRefusal,
                                CountDownLatch answered) {
    int to = Math.min(total, from + CHUNK);
    chunkSent[from / CHUNK] = System.nanoTime();
    chunksSent.incrementAndGet();
    for (int i = from; i < to; i++) {
      int run = i;
      client.invoke(Map.of("i", i)).onComplete(done -> count(done, run, succeeded, overloaded, other, firstRefusal,
          answered));
    }
    if (to < total) {
      context.runOnContext(v -> sendChunk(context, client, to, total, started, succeeded, overloaded, other,
          firstRefusal, answered));
    }
  }

  /** Completes (on the node's own context) once the gate is open: at once after the first refusal. */
  private static io.vertx.core.Future<Void> gate() {
    if (GATE_OPEN.get()) {
      return io.vertx.core.Future.succeededFuture();
    }
    io.vertx.core.internal.PromiseInternal<Void> waiting = ((io.vertx.core.internal.ContextInternal)
        Vertx.currentContext()).promise();
    HELD.add(waiting);
    if (GATE_OPEN.get()) { // opened meanwhile: whoever drains first completes it
      openGate();
    }
    return waiting.future();
  }

  private static void openGate() {
    GATE_OPEN.set(true);
    for (io.vertx.core.Promise<Void> held = HELD.poll(); held != null; held = HELD.poll()) {
      held.tryComplete(); // its listeners run on the node's context
    }
  }

  private static void count(io.vertx.core.AsyncResult<?> done, int run, AtomicLong succeeded, AtomicLong overloaded,
                            AtomicLong other, AtomicLong firstRefusal, CountDownLatch answered) {
    if (done.succeeded()) {
      succeeded.incrementAndGet();
    } else if (done.cause() instanceof GraphloopException
        && ((GraphloopException) done.cause()).code().code() == 503) {
      overloaded.incrementAndGet();
      long now = System.nanoTime();
      if (firstRefusal.compareAndSet(0, now)) {
        FIRST_REFUSED.set(run);
        FIRST_REFUSAL_CHUNKS.set(chunksSent.get());
        openGate();
      }
    } else if (other.incrementAndGet() <= 3) {
      System.err.println("BURST other failure: " + done.cause());
    }
    answered.countDown();
  }

  private static long heapPeakMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024 * 1024);
  }
}
