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
 * firstRefusalMs=... elapsedMs=... heapPeakMb=...} and exits 0 once every run is answered, 4 if not all were within
 * {@code args[1]} seconds. Started with {@code -XX:+ExitOnOutOfMemoryError}, so running out of memory ends it non-zero.
 */
public final class OverloadBurst {

  private static int CHUNK;

  private OverloadBurst() {
  }

  public static void main(String[] args) throws Exception {
    int total = Integer.parseInt(args[0]);
    long waitSeconds = Long.parseLong(args[1]);
    CHUNK = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    StateGraph graph = new StateGraph("burst")
        .addNode("work", (state, ctx) -> ctx.vertx().timer(100).map(t -> Map.of("done", true)))
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
        client.invoke(Map.of("i", i)).onComplete(done -> count(done, succeeded, overloaded, other, firstRefusal,
            answered));
      }
    } else {
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> sendChunk(context, client, 0, total, started, succeeded, overloaded, other,
          firstRefusal, answered));
    }
    boolean all = answered.await(waitSeconds, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - started;
    System.out.printf("BURST total=%d answered=%d succeeded=%d overloaded=%d other=%d firstRefusalMs=%.1f "
            + "elapsedMs=%d heapPeakMb=%d%n", total, total - answered.getCount(), succeeded.get(), overloaded.get(),
        other.get(), firstRefusal.get() == 0 ? -1.0 : (firstRefusal.get() - started) / 1e6,
        TimeUnit.NANOSECONDS.toMillis(elapsed), heapPeakMb());
    System.out.flush();
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.exit(all ? 0 : 4);
  }

  private static void sendChunk(Context context, GraphClient client, int from, int total, long started,
                                AtomicLong succeeded, AtomicLong overloaded, AtomicLong other, AtomicLong firstRefusal,
                                CountDownLatch answered) {
    int to = Math.min(total, from + CHUNK);
    for (int i = from; i < to; i++) {
      client.invoke(Map.of("i", i)).onComplete(done -> count(done, succeeded, overloaded, other, firstRefusal,
          answered));
    }
    if (to < total) {
      context.runOnContext(v -> sendChunk(context, client, to, total, started, succeeded, overloaded, other,
          firstRefusal, answered));
    }
  }

  private static void count(io.vertx.core.AsyncResult<?> done, AtomicLong succeeded, AtomicLong overloaded,
                            AtomicLong other, AtomicLong firstRefusal, CountDownLatch answered) {
    if (done.succeeded()) {
      succeeded.incrementAndGet();
    } else if (done.cause() instanceof GraphloopException
        && ((GraphloopException) done.cause()).code().code() == 503) {
      overloaded.incrementAndGet();
      firstRefusal.compareAndSet(0, System.nanoTime());
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
