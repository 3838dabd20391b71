package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.ops.GraphloopMeters;
import io.graphloop.ops.GraphloopTracing;
import io.graphloop.ops.OpsRoutes;
import io.graphloop.ops.PrometheusMetrics;
import io.graphloop.runtime.GraphRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

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
 * Issue 16's tracing and metrics overhead: runs per second of a 3-node chain (async nodes answering at once, in one
 * JVM) with
 * <ol>
 *   <li>tracing off (no {@link GraphloopTracing} installed: the runtime's {@code RunTracer.NONE});</li>
 *   <li>tracing installed, sampler off (configured but not sampled: the target case);</li>
 *   <li>tracing on, every run sampled, no span processor (spans made and ended, exported nowhere);</li>
 *   <li>tracing on, every run sampled, a {@link BatchSpanProcessor} with an exporter that counts and drops the spans
 *       (the SDK's export pipeline without a network: an OTLP exporter's own cost comes on top);</li>
 *   <li>metrics on, as {@code serve} has them: a Vert.x built with Micrometer's metrics into a Prometheus registry
 *       ({@link PrometheusMetrics#vertxBuilder}: the event bus's and HTTP's own meters), the graph's meters bound
 *       ({@link GraphloopMeters#bind}), {@code GET /metrics} ({@link OpsRoutes#mountMetrics}) on an HTTP server on
 *       127.0.0.1 scraped over HTTP every {@code --scrape-ms} while the round runs;</li>
 *   <li>metrics on and tracing installed with its sampler off: issue 16's target case.</li>
 * </ol>
 * Each configuration runs on its own Vert.x instance; rounds interleave the configurations (warm-up round first), and
 * the median of the measured rounds is reported. {@code --runs} per round, at most {@code --in-flight} at once.
 * Besides runs per second (which a loaded machine lowers), each row has measures a busy machine does not inflate
 * ({@link LoadFree}), medians per run over the measured rounds: bytes allocated (every thread), CPU time of the
 * event-loop threads, CPU time of the whole process (GC, the scrapes, the exporter's thread included).
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests
 * java -Xmx2g -cp target/bench/graphloop-bench.jar io.graphloop.bench.TracingBench [--runs 20000] [--in-flight 500]
 *     [--rounds 5] [--scrape-ms 1000] [--only all|5,6]
 * </pre>
 * {@code --only} runs the first row (everything off, the reference) and the rows it numbers (1-6, in the order above).
 * {@code --quick} alone is a smoke run ({@code --runs 2000 --rounds 1 --scrape-ms 200}) that shows it works, not what
 * it costs.
 *
 * <p>The main thread waits (bounded) for each round; the runs are sent from an event loop.
 */
public final class TracingBench {

  private static final long WAIT_SECONDS = 600;

  private TracingBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--runs", "20000", "--in-flight", "500",
        "--rounds", "5", "--scrape-ms", "1000", "--only", "all"));
    if (args.length == 1 && args[0].equals("--quick")) {
      args = new String[] {"--runs", "2000", "--rounds", "1", "--scrape-ms", "200"};
    }
    BenchArgs.pairs(options, args);
    int runs = Integer.parseInt(options.get("--runs"));
    int inFlight = Integer.parseInt(options.get("--in-flight"));
    int rounds = Integer.parseInt(options.get("--rounds"));
    long scrapeMs = Long.parseLong(options.get("--scrape-ms"));
    if (runs < 1 || inFlight < 1 || rounds < 1 || scrapeMs < 1) {
      throw new IllegalArgumentException("--runs, --in-flight, --rounds and --scrape-ms must be at least 1: "
          + options);
    }
    AtomicLong exported = new AtomicLong();
    List<Config> all = List.of(
        new Config("tracing off (not installed)", null, 0),
        new Config("installed, sampler off", () -> sdk(Sampler.alwaysOff(), null), 0),
        new Config("on, sampled, no exporter", () -> sdk(Sampler.alwaysOn(), null), 0),
        new Config("on, sampled, batch exporter (drops)", () -> sdk(Sampler.alwaysOn(), counting(exported)), 0),
        new Config("metrics on (Prometheus, scraped), tracing off", null, scrapeMs),
        new Config("metrics on + tracing installed, sampler off", () -> sdk(Sampler.alwaysOff(), null), scrapeMs));
    List<Config> configs = only(all, options.get("--only"));
    String loadBefore = loadAverage();
    for (Config config : configs) {
      config.start();
    }
    try {
      for (int round = 0; round <= rounds; round++) {     // round 0: warm-up
        for (Config config : configs) {
          long allocated = LoadFree.allocatedBytes();
          long loopCpu = LoadFree.eventLoopCpuNanos();
          long cpu = processCpuNanos();
          double perSecond = config.round(runs, inFlight);
          if (round > 0) {
            config.samples.add(perSecond);
            config.allocated.add(LoadFree.per(allocated, LoadFree.allocatedBytes(), runs));
            config.loopCpu.add(LoadFree.per(loopCpu, LoadFree.eventLoopCpuNanos(), runs) / 1_000);
            config.cpu.add(LoadFree.per(cpu, processCpuNanos(), runs) / 1_000);
          }
        }
      }
    } finally {
      for (Config config : configs) {
        config.close();
      }
    }
    double off = configs.get(0).median();
    long scrapes = configs.stream().mapToLong(c -> c.scrapes.get()).sum();
    System.out.printf("%nTracing and metrics overhead: chain of 3 async nodes, %,d runs per round, %d in flight, "
            + "median of %d rounds; %d cores; load average before %s, after %s; spans exported (dropped) %,d; "
            + "scrapes of /metrics every %d ms: %,d (%,d bytes the last)%n%n", runs, inFlight, rounds,
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), exported.get(), scrapeMs, scrapes,
        configs.stream().mapToLong(c -> c.scrapedBytes.get()).max().orElse(0));
    System.out.println("| configuration | runs/s (median) | min-max | vs off | [load-free] alloc B/run "
        + "| event-loop CPU us/run | process CPU us/run | CPU vs off |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    double cpuOff = Stats.median(configs.get(0).cpu);
    for (Config config : configs) {
      double median = config.median();
      double cpu = Stats.median(config.cpu);
      System.out.printf("| %s | %,.0f | %,.0f-%,.0f | %+.1f%% | %,.0f | %.1f | %.1f | %+.1f%% |%n", config.name, median,
          config.samples.stream().mapToDouble(d -> d).min().orElse(0),
          config.samples.stream().mapToDouble(d -> d).max().orElse(0), (median / off - 1) * 100,
          Stats.median(config.allocated), Stats.median(config.loopCpu), cpu, (cpu / cpuOff - 1) * 100);
    }
  }

  /**
   * The configurations {@code only} names: {@code all}, or 1-based row numbers separated by commas ({@code 5,6}: the
   * two metrics rows); the first row (everything off) is always kept, as every row is compared with it.
   */
  private static List<Config> only(List<Config> all, String only) {
    if (only.equals("all")) {
      return all;
    }
    List<Config> chosen = new ArrayList<>(List.of(all.get(0)));
    for (String row : only.split(",")) {
      int index;
      try {
        index = Integer.parseInt(row.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--only takes 'all' or row numbers 1-" + all.size() + " separated by "
            + "commas, not '" + only + "'");
      }
      if (index < 1 || index > all.size()) {
        throw new IllegalArgumentException("--only: no row " + index + "; the rows are 1-" + all.size());
      }
      if (!chosen.contains(all.get(index - 1))) {
        chosen.add(all.get(index - 1));
      }
    }
    return chosen;
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

  /** CPU time of this process so far (every thread, GC included), or -1 where the JVM does not say. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /**
   * One configuration: its Vert.x, tracing, metrics (with its /metrics server and scraper) and deployed chain. Used
   * from the main thread; the scrapes run on the configuration's event loop, as serve's /metrics does.
   */
  private static final class Config {
    private final String name;
    private final Supplier<OpenTelemetrySdk> tracing;
    /** Milliseconds between two scrapes of /metrics, or 0 for no metrics. */
    private final long scrapeMs;
    private final List<Double> samples = new ArrayList<>();
    private final List<Double> allocated = new ArrayList<>();
    private final List<Double> loopCpu = new ArrayList<>();
    private final List<Double> cpu = new ArrayList<>();
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong scrapedBytes = new AtomicLong();
    private Vertx vertx;
    private OpenTelemetrySdk sdk;
    private GraphClient client;
    private GraphloopMeters meters;
    private HttpServer metricsServer;
    private HttpClient scraper;

    Config(String name, Supplier<OpenTelemetrySdk> tracing, long scrapeMs) {
      this.name = name;
      this.tracing = tracing;
      this.scrapeMs = scrapeMs;
    }

    void start() throws Exception {
      PrometheusMeterRegistry registry = null;
      if (scrapeMs > 0) {
        registry = PrometheusMetrics.registry();
        vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
        Router router = Router.router(vertx);
        OpsRoutes.mountMetrics(router, registry);
        metricsServer = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        scraper = vertx.createHttpClient();
      } else {
        vertx = Vertx.vertx();
      }
      if (tracing != null) {
        sdk = tracing.get();
        GraphloopTracing.install(vertx, sdk);
      }
      StateGraph chain = new StateGraph("traced-chain")
          .addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
          .addNode("b", state -> Future.succeededFuture(Map.of("b", 2)))
          .addNode("c", state -> Future.succeededFuture(Map.of("c", 3)))
          .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END);
      GraphRuntime runtime = await(GraphRuntime.deploy(vertx, chain.compile()));
      client = runtime.client();
      if (registry != null) {
        meters = GraphloopMeters.bind(registry, runtime);
      }
    }

    /** Starts scraping /metrics every {@code scrapeMs} (nothing without metrics); answers the timer's id or -1. */
    private long scrapeEvery() {
      if (scrapeMs <= 0) {
        return -1;
      }
      return vertx.setPeriodic(scrapeMs, id -> scraper.request(HttpMethod.GET, metricsServer.actualPort(),
              "127.0.0.1", "/metrics")
          .compose(request -> request.send().compose(response -> response.body()))
          .onSuccess(body -> {
            scrapes.incrementAndGet();
            scrapedBytes.set(body.length());
          }));
    }

    /** Runs {@code runs} runs, at most {@code inFlight} at once, from an event loop; answers runs per second. */
    double round(int runs, int inFlight) throws Exception {
      Promise<Void> done = Promise.promise();
      long scraping = scrapeEvery();
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
      try {
        await(done.future());
        return runs / ((System.nanoTime() - start) / 1e9);
      } finally {
        if (scraping >= 0) {
          vertx.cancelTimer(scraping);
        }
      }
    }

    double median() {
      return Stats.median(samples);
    }

    void close() throws Exception {
      if (meters != null) {
        meters.close();
      }
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
