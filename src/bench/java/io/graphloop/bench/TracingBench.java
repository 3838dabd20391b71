package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.ops.GraphloopTracing;
import io.graphloop.runtime.GraphRuntime;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Issue 16's tracing overhead: runs per second of a 3-node chain (async nodes answering at once, in one JVM) with
 * <ol>
 *   <li>tracing off (no {@link GraphloopTracing} installed: the runtime's {@code RunTracer.NONE});</li>
 *   <li>tracing installed, sampler off (configured but not sampled: the target case);</li>
 *   <li>tracing on, every run sampled, no span processor (spans made and ended, exported nowhere);</li>
 *   <li>tracing on, every run sampled, a {@link BatchSpanProcessor} with an exporter that counts and drops the spans
 *       (the SDK's export pipeline without a network: an OTLP exporter's own cost comes on top).</li>
 * </ol>
 * Each configuration runs on its own Vert.x instance; rounds interleave the configurations (warm-up round first), and
 * the median of the measured rounds is reported. {@code --runs} per round, at most {@code --in-flight} at once.
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests
 * java -Xmx2g -cp target/bench/graphloop-bench.jar io.graphloop.bench.TracingBench [--runs 20000] [--in-flight 500]
 *     [--rounds 5]
 * </pre>
 *
 * <p>The main thread waits (bounded) for each round; the runs are sent from an event loop.
 */
public final class TracingBench {

  private static final long WAIT_SECONDS = 600;

  private TracingBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--runs", "20000", "--in-flight", "500",
        "--rounds", "5"));
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("Options come in pairs (--name value); the options are " + options.keySet());
    }
    for (int i = 0; i < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        throw new IllegalArgumentException("Unknown option " + args[i] + "; the options are " + options.keySet());
      }
      options.put(args[i], args[i + 1]);
    }
    int runs = Integer.parseInt(options.get("--runs"));
    int inFlight = Integer.parseInt(options.get("--in-flight"));
    int rounds = Integer.parseInt(options.get("--rounds"));
    if (runs < 1 || inFlight < 1 || rounds < 1) {
      throw new IllegalArgumentException("--runs, --in-flight and --rounds must be at least 1: " + options);
    }
    AtomicLong exported = new AtomicLong();
    List<Config> configs = List.of(
        new Config("tracing off (not installed)", null),
        new Config("installed, sampler off", () -> sdk(Sampler.alwaysOff(), null)),
        new Config("on, sampled, no exporter", () -> sdk(Sampler.alwaysOn(), null)),
        new Config("on, sampled, batch exporter (drops)", () -> sdk(Sampler.alwaysOn(), counting(exported))));
    String loadBefore = loadAverage();
    for (Config config : configs) {
      config.start();
    }
    try {
      for (int round = 0; round <= rounds; round++) {     // round 0: warm-up
        for (Config config : configs) {
          double perSecond = config.round(runs, inFlight);
          if (round > 0) {
            config.samples.add(perSecond);
          }
        }
      }
    } finally {
      for (Config config : configs) {
        config.close();
      }
    }
    double off = configs.get(0).median();
    System.out.printf("%nTracing overhead: chain of 3 async nodes, %,d runs per round, %d in flight, median of %d "
            + "rounds; %d cores; load average before %s, after %s; spans exported (dropped) %,d%n%n", runs, inFlight,
        rounds, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), exported.get());
    System.out.println("| configuration | runs/s (median) | min-max | vs off |");
    System.out.println("|---|---:|---:|---:|");
    for (Config config : configs) {
      double median = config.median();
      System.out.printf("| %s | %,.0f | %,.0f-%,.0f | %+.1f%% |%n", config.name, median,
          config.samples.stream().mapToDouble(d -> d).min().orElse(0),
          config.samples.stream().mapToDouble(d -> d).max().orElse(0), (median / off - 1) * 100);
    }
  }

  private static OpenTelemetrySdk sdk(Sampler sampler, SpanExporter exporter) {
    var provider = SdkTracerProvider.builder().setSampler(sampler);
    if (exporter != null) {
      provider.addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(65_536).build());
    }
    return OpenTelemetrySdk.builder().setTracerProvider(provider.build()).build();
  }

  /** An exporter that counts the spans it is given and drops them. */
  private static SpanExporter counting(AtomicLong exported) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        exported.addAndGet(spans.size());
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  /** One configuration: its Vert.x, tracing and deployed chain. Used from the main thread. */
  private static final class Config {
    private final String name;
    private final Supplier<OpenTelemetrySdk> tracing;
    private final List<Double> samples = new ArrayList<>();
    private Vertx vertx;
    private OpenTelemetrySdk sdk;
    private GraphClient client;

    Config(String name, Supplier<OpenTelemetrySdk> tracing) {
      this.name = name;
      this.tracing = tracing;
    }

    void start() throws Exception {
      vertx = Vertx.vertx();
      if (tracing != null) {
        sdk = tracing.get();
        GraphloopTracing.install(vertx, sdk);
      }
      StateGraph chain = new StateGraph("traced-chain")
          .addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
          .addNode("b", state -> Future.succeededFuture(Map.of("b", 2)))
          .addNode("c", state -> Future.succeededFuture(Map.of("c", 3)))
          .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END);
      client = await(GraphRuntime.deploy(vertx, chain.compile())).client();
    }

    /** Runs {@code runs} runs, at most {@code inFlight} at once, from an event loop; answers runs per second. */
    double round(int runs, int inFlight) throws Exception {
      Promise<Void> done = Promise.promise();
      long start = System.nanoTime();
      vertx.runOnContext(v -> {
        int[] sent = {0};
        int[] ended = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
          int at = sent[0]++;
          client.invoke(Map.of("i", at)).onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            if (++ended[0] == runs) {
              done.tryComplete();
            } else if (sent[0] < runs) {
              next[0].run();
            }
          });
        };
        for (int i = 0; i < Math.min(inFlight, runs); i++) {
          next[0].run();
        }
      });
      await(done.future());
      return runs / ((System.nanoTime() - start) / 1e9);
    }

    double median() {
      return Stats.median(samples);
    }

    void close() throws Exception {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (sdk != null) {
        sdk.shutdown().join(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
