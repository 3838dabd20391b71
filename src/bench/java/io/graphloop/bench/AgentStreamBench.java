package io.graphloop.bench;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.examples.AgentExample;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.server.ServerOptions;
import io.graphloop.server.ServerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's agent streaming benchmark: {@code --conversations} concurrent conversations of the agent
 * ({@link AgentExample}: ReAct agent, model through {@code OpenAiChatModel} on the runtime's WebClient) against
 * {@link FakeChatServer} (an HTTP server on 127.0.0.1 speaking OpenAI's streamed chat completions) answering
 * {@code --tokens} tokens {@code --token-delay-ms} apart, as a model with a fixed latency per token. For every token
 * it measures the time from the fake model writing the token's chunk to its HTTP response to a client seeing it:
 * <ol>
 *   <li>{@code model SSE direct}: an HTTP client reading the fake model's SSE itself (the floor: loopback HTTP);</li>
 *   <li>{@code client.stream(MESSAGES)}: model -> OpenAiChatModel in the agent's node -> coordinator -> client over
 *       the event bus;</li>
 *   <li>{@code serve messages-tuple}: an HTTP client of the server's {@code POST /runs/stream} with
 *       {@code stream_mode: messages-tuple} (ServerVerticle, the code {@code serve} runs), on top of 2.</li>
 * </ol>
 * Each token is a word unique to its round, conversation and position ({@code r2c17w42}); the fake model's write
 * listener stamps it, the agent's node stamps it again as it hands the chunk to Graphloop's stream
 * ({@link StampedChatModel}: {@code emitMessage}), and the client's reader looks both up. All in one JVM, every stamp
 * {@link System#nanoTime} (one monotonic clock); RSS is the whole JVM's peak (fake model and clients included) during
 * the measured round.
 *
 * <p><b>What "added per token" is.</b> For each token, the time from its emit in the node to the client's read; the
 * row's p50 / p99 are percentiles of that per-token difference. It is what Graphloop adds after its node has the
 * token: coordinator, bus or inbox, {@code serve}'s encoding, SSE write and the HTTP hop to the client (which any
 * client of {@code serve} has). It leaves out the hop from the model to the node (loopback HTTP, the model client's
 * read and parse): that hop is in every deployment and is what the floor row measures; its own column (model -> node)
 * shows whether it grows when Graphloop's loops are busy. The previous figure, a path's percentile minus the floor
 * round's, is printed too: a difference of percentiles of two rounds, which is not the percentile of any token's
 * added time (the p99 of a sum is not the sum of p99s) and moves with the floor round's own jitter.
 *
 * <p><b>Where the harness runs.</b> By default ({@code --harness own}) the fake model and the benchmark's HTTP
 * clients run on a Vert.x instance of their own, threads apart from Graphloop's event loops, so neither waits behind
 * Graphloop's tasks on a shared loop (as a model and a client on other machines would not); they still share the
 * machine's cores. {@code --harness shared} puts them on Graphloop's loops, as the rows before 2026-12-07 16:00 did.
 * The fake model serves on every loop of its Vert.x ({@code --model-loops all}, the default since 2026-12-08 03:30:
 * one HTTP server per loop, as a model server with many connections, and {@code serve}, do), so its connections,
 * timers and a burst's writes spread over the loops; {@code --model-loops 1} is the harness before (one HTTP server:
 * every connection and write on one loop, which with {@code --model harness} also carries the HTTP clients of every
 * fourth conversation, their reads behind the model's writes of a burst). By default ({@code --model harness}) the
 * model is on the harness's Vert.x; {@code --model apart} gives it a Vert.x of its own (a row beside the issue's,
 * 2026-12-08: what a client not sharing a thread with the model sees). {@link AgentStreamOptions} reads the options.
 * The {@code client.stream} consumers are on Graphloop's loops either way (that is where an application consumes).
 *
 * <p>Two ways to start the conversations. By default all of a round's conversations start at once (a burst: with
 * 1,000 conversations at 20 tokens/s each, 20,000 tokens/s are asked of the machine, more than 2 cores carry, so the
 * latency measured is mostly queueing). With {@code --rate R} they start R per second, evenly spaced (an open-loop
 * arrival rate: about {@code R * tokens * token-delay-ms / 1000} conversations at once, {@code R * tokens} tokens/s
 * offered), so at a rate the machine can carry the added latency is the per-token cost, not a queue. Each row then
 * also shows the process's CPU use during the round as a share of the cores: well under 100% says the rate was
 * sustainable; near 100%, it was not, and the row measures queueing again.
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests
 * java -Xmx2g -cp target/bench/graphloop-bench.jar io.graphloop.bench.AgentStreamBench \
 *     [--conversations 1000] [--tokens 40] [--token-delay-ms 50] [--warmup 100] [--rate 0] [--origin loops]
 *     [--harness own] [--model harness] [--model-loops all] [--paths floor,bus,serve] [--probe-us 0]
 * </pre>
 *
 * <p>{@code --paths} picks the rows (a subset of {@code floor,bus,serve}). {@code --probe-us P} (0: off) hands each of
 * Graphloop's event loops a task every P microseconds from a thread of its own ({@link LoopLag}) and reports how long
 * those tasks waited to run: the delay a token pays at each thread hop or queued task on those loops.
 *
 * <p>{@code --origin loops} (the default) starts conversation i on the (i mod n)-th event loop's context, as consumers
 * spread over the loops would (a server serving HTTP on every loop): the streams' consumers and the benchmark's HTTP
 * clients live there. {@code --origin one} starts them all from the main thread's one context (the rows before
 * 2026-12-07 12:00): every {@code client.stream} consumer then sits on one loop.
 *
 * <p>Runs on the main thread, which waits (bounded) for the load's futures; the load itself runs on Vert.x event
 * loops, and the latencies are recorded from them into a synchronized recorder.
 */
public final class AgentStreamBench {

  private static final long WAIT_SECONDS = 900;
  private static final Pattern WORD = Pattern.compile("r\\d+c\\d+w\\d+");
  /** The HTTP clients' keep-alive timeout: under {@code serve}'s ({@link ServerOptions#DEFAULT_KEEP_ALIVE_TIMEOUT_MS}). */
  private static final int CLIENT_KEEP_ALIVE_SECONDS = 2;

  /** Graphloop's: the runtime, the server, the {@code client.stream} consumers. */
  private final Vertx vertx = Vertx.vertx();
  /** The fake model's and the HTTP clients': {@link #vertx} with {@code --harness shared}, else one of their own. */
  private final Vertx harness;
  /**
   * The fake model's: {@link #harness} ({@code --model harness}, the default and the rows), or a Vert.x of its
   * own ({@code --model apart}). It serves on every event loop of that Vert.x ({@code --model-loops all}, since
   * 2026-12-08 03:30), so a burst of tokens (conversations whose timers fire in the same millisecond) is written from
   * every loop; with {@code --model-loops 1} (the rows before) it is one HTTP server, all of its connections and timers
   * on one loop, which writes a burst one token after another, and with {@code harness} the HTTP clients of every
   * fourth conversation read on that thread too, behind the writes.
   */
  private final Vertx modelVertx;
  /** The fake model's HTTP servers ({@code --model-loops}): 0, one per event loop of {@link #modelVertx}; or 1. */
  private final int modelServers;
  private final int conversations;
  private final int tokens;
  private final long tokenDelayMs;
  private final int warmup;
  /** Conversations started per second, or 0 to start a round's conversations all at once. */
  private final double rate;
  private final Map<String, Long> written = new ConcurrentHashMap<>();
  /** When each word entered Graphloop's stream path: its chunk handed to {@code emitMessage} in the agent's node. */
  private final Map<String, Long> emitted = new ConcurrentHashMap<>();
  private FakeChatServer model;
  private GraphClient client;
  private HttpClient http;
  private int serverPort;
  private int round;

  /** Each event loop's context, conversation i starting on the (i mod n)-th; or only the main thread's one context. */
  private final List<io.vertx.core.Context> origins = new ArrayList<>();
  /** The same on {@link #harness}: where the HTTP rows' conversations (their clients) start. */
  private final List<io.vertx.core.Context> harnessOrigins = new ArrayList<>();
  private final boolean everyLoop;

  /** The rows to run ({@code --paths}: floor, bus, serve). */
  private final java.util.Set<String> paths;
  /** The loop-lag probe's period ({@code --probe-us}), or 0: no probe. */
  private final long probeMicros;

  private AgentStreamBench(AgentStreamOptions options) {
    this.paths = options.paths();
    this.probeMicros = options.probeMicros();
    this.harness = options.ownHarness() ? namedVertx("harness-") : vertx;
    this.modelVertx = options.modelApart() ? namedVertx("model-") : harness;
    this.modelServers = options.modelServers();
    this.everyLoop = options.everyLoop();
    this.conversations = options.conversations();
    this.tokens = options.tokens();
    this.tokenDelayMs = options.tokenDelayMs();
    this.warmup = options.warmup();
    this.rate = options.rate();
  }

  /**
   * A Vert.x of the harness's own, its threads named {@code prefix + "vert.x-..."} ({@code harness-}, {@code model-}):
   * a profile (JFR, perf) and {@link TokenTail}'s readers then tell the fake model's and the clients' threads from
   * Graphloop's, whose loops are {@code vert.x-eventloop-thread-N} as well.
   */
  private static Vertx namedVertx(String prefix) {
    io.vertx.core.spi.VertxThreadFactory named = new io.vertx.core.spi.VertxThreadFactory() {
      @Override
      public io.vertx.core.impl.VertxThread newVertxThread(Runnable target, String name, boolean worker,
                                                          long maxExecTime, TimeUnit unit) {
        return io.vertx.core.spi.VertxThreadFactory.INSTANCE.newVertxThread(target, prefix + name, worker,
            maxExecTime, unit);
      }
    };
    return io.vertx.core.internal.VertxBootstrap.create().threadFactory(named).init().vertx();
  }

  public static void main(String[] args) throws Exception {
    AgentStreamBench bench = new AgentStreamBench(AgentStreamOptions.parse(args));
    try {
      bench.run();
    } finally {
      if (bench.modelVertx != bench.harness) {
        bench.modelVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (bench.harness != bench.vertx) {
        bench.harness.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void run() throws Exception {
    model = await(modelServers == 0 ? FakeChatServer.start(modelVertx, 0) : FakeChatServer.start(modelVertx, 0,
        modelServers));
    model.responderDelays(tokenDelayMs, tokenDelayMs);
    model.onEventWritten(event -> {
      Matcher word = WORD.matcher(event);
      if (word.find()) {
        written.put(word.group(), System.nanoTime());
      }
    });
    int pool = conversations + 16;
    CompiledGraph agent = io.graphloop.agents.ReactAgent.builder(StampedChatModel.wrap(io.graphloop.agents.ReactAgent
            .openAi(new OpenAiOptions().setBaseUrl(model.baseUrl()).setModel("fake")), emitted, WORD),
        List.of(AgentExample.ADD, AgentExample.MULTIPLY)).name(AgentExample.NAME)
        .systemPrompt(AgentExample.SYSTEM_PROMPT).compile(); // AgentExample.graph's, its chunks stamped on emit
    client = await(GraphRuntime.deploy(vertx, agent, new GraphRuntimeOptions().addHttpClient("default",
        new JsonObject().put("pool", new JsonObject().put("http1MaxSize", pool))))).client();
    ServerVerticle server = new ServerVerticle(List.of(agent), new ServerOptions().setHost("127.0.0.1").setPort(0));
    await(vertx.deployVerticle(server));
    serverPort = server.actualPort();
    // idle connections closed by the client before serve's keep-alive timeout (5 s) closes them: a request sent on a
    // connection the server is closing at that moment fails ("Connection was closed"), seen with --warmup 1000
    http = harness.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(CLIENT_KEEP_ALIVE_SECONDS),
        new PoolOptions().setHttp1MaxSize(pool));
    contexts(vertx, origins);
    contexts(harness, harnessOrigins);
    String load = loadAverage();
    List<Result> results = new ArrayList<>();
    List<io.vertx.core.Context> graphloopLoops = new ArrayList<>();
    if (probeMicros > 0) { // one context per Graphloop event loop, whatever --origin says
      io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) vertx;
      for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
        graphloopLoops.add(internal.contextBuilder().withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
            .withEventLoop((io.netty.channel.EventLoop) loop).build());
      }
    }
    try (PeakSampler peaks = new PeakSampler(); GcWatch gc = new GcWatch();
         LoopLag lag = probeMicros > 0 ? new LoopLag(graphloopLoops, probeMicros) : null) {
      this.lag = lag;
      if (paths.contains("floor")) {
        results.add(measure("model SSE direct (floor)", this::direct, harnessOrigins, peaks, gc));
      }
      if (paths.contains("bus")) {
        results.add(measure("client.stream(MESSAGES), event bus", this::streamed, origins, peaks, gc));
      }
      if (paths.contains("serve")) {
        results.add(measure("serve: POST /runs/stream messages-tuple", this::served, harnessOrigins, peaks, gc));
      }
    }
    Result floor = paths.contains("floor") ? results.get(0) : null;
    String arrivals = rate > 0 ? String.format("%,d conversations started %.1f per second (about %.0f at once, "
            + "%,.0f tokens/s offered)", conversations, rate, Math.min(conversations, rate * tokens * tokenDelayMs / 1e3),
        rate * tokens) : String.format("%,d concurrent conversations (all started at once)", conversations);
    System.out.printf("%nAgent token streaming: %s, %d tokens each, %d ms per token, started on %s; HTTP clients on %s, "
            + "fake model on %s; %d cores; collectors %s, max heap %d MB; local streams %d a loop (margin %s); load "
            + "average before %s, after %s%n%n",
        arrivals, tokens, tokenDelayMs, everyLoop ? origins.size() + " event loops in turn" : "one context",
        harness == vertx ? "Graphloop's event loops (--harness shared)" : "a Vert.x instance of their own",
        (modelVertx == harness ? "their Vert.x (--model harness)" : "a Vert.x of its own (--model apart)")
            + (model.servers() == 1 ? ", one loop (--model-loops 1)" : ", " + model.servers() + " loops"),
        Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
            .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList(),
        Runtime.getRuntime().maxMemory() >> 20, GraphClient.localStreams(),
        System.getProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY, "default"), load, loadAverage());
    System.out.println("| path | tokens | model -> client p50 / p99 (ms) | **added per token p50 / p99 (ms)** "
        + "| model -> node p50 / p99 (ms) | p50 / p99 minus the floor's (ms) | tokens/s | peak RSS (MB) "
        + "| CPU % of cores | [load-free] CPU us/token | alloc KB/token | wake-ups/token | GC pauses n / total / max (ms) "
        + "| tokens a pause overlapped (%) | p99 of the others (ms) | added p99 of tokens no pause overlapped (ms) "
        + "| Graphloop loops' task wait p50 / p99 / max (ms) (probes) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      boolean isFloor = r == floor;
      System.out.printf("| %s | %,d | %.2f / %.2f | %s | %s | %s | %,.0f | %.0f | %.0f | %.1f | %.1f | %.2f | %s | %.2f "
              + "| %.2f | %s | %s |%n", r.name, r.tokens, r.p50, r.p99,
          isFloor ? "-" : String.format("**%.2f / %.2f**", r.added50, r.added99),
          isFloor ? "-" : String.format("%.2f / %.2f", r.in50, r.in99),
          isFloor || floor == null ? "-" : String.format("%.2f / %.2f", r.p50 - floor.p50, r.p99 - floor.p99),
          r.tokensPerSecond, r.rssMb, r.cpuPercent, r.cpuMicrosPerToken, r.allocKbPerToken, r.wakeUpsPerToken,
          r.gcPauses, r.gcHitPercent, r.p99OutsideGc, isFloor ? "-" : String.format("%.2f", r.added99OutsideGc),
          r.loopLag);
    }
    System.out.println("\nThe p99's tokens (the added time's tail), against every token of the row:");
    for (Result r : results) {
      if (r != floor) {
        System.out.println("- " + r.name + ": " + r.tailCause);
      }
    }
    System.out.println("\n(Added per token: for each token, the time from its chunk entering Graphloop's stream path in "
        + "the agent's node (emitMessage) to the client's read, the percentiles of that per-token difference. "
        + "Model -> node: the same token from the fake model's write to the node's emit (the loopback hop to "
        + "Graphloop's model client, its read and parse). The column after is the older figure, a difference of two "
        + "rounds' percentiles (path minus floor), not a percentile of any token's added time.)");
    System.out.println("\n(CPU, allocation and wake-ups per token are the whole process's, fake model and clients "
        + "included, divided by the tokens received; a loaded machine does not inflate them as it does the latencies. "
        + "Wake-ups: times a thread slept and was woken (voluntary context switches); a token handed from one event "
        + "loop's thread to another costs one. A token a GC pause overlapped was written before the pause ended and "
        + "read after it began: when that share is 1% or more, pauses alone can make the p99; the last column is the "
        + "p99 of the tokens no pause touched, what the path itself adds at the tail.)");
  }

  private record Result(String name, long tokens, double p50, double p99, double added50, double added99,
                        double in50, double in99, double tokensPerSecond, double rssMb,
                        double cpuPercent, double cpuMicrosPerToken, double allocKbPerToken, double wakeUpsPerToken,
                        String gcPauses, double gcHitPercent, double p99OutsideGc, double added99OutsideGc,
                        String loopLag, String tailCause) {
  }

  /** CPU time of this process so far (every thread), or -1 where the JVM does not say. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /**
   * A warm-up round of {@code warmup} conversations, then one of {@code conversations}, all started at once or, with
   * {@code --rate}, at that rate.
   */
  private Result measure(String name, Function<String, Future<Integer>> conversation, List<io.vertx.core.Context> from,
                         PeakSampler peaks, GcWatch gc) throws Exception {
    System.err.printf("%s: warm-up round from %d ms (epoch)%n", name, System.currentTimeMillis());
    round(warmup, conversation, from, null);
    System.err.printf("%s: measured round from %d ms (epoch)%n", name, System.currentTimeMillis());
    peaks.reset();
    gc.reset();
    if (lag != null) {
      lag.reset();
    }
    TokenLatencies latencies = new TokenLatencies(conversations * tokens);
    TokenLatencies added = new TokenLatencies(conversations * tokens);
    TokenLatencies in = new TokenLatencies(conversations * tokens);
    TokenTail tail = new TokenTail(conversations * tokens);
    this.added = added;
    this.in = in;
    this.tail = tail;
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long allocStart = LoadFree.allocatedBytes();
    long wakeUpsStart = LoadFree.wakeUps();
    long received = round(conversations, conversation, from, latencies);
    System.err.printf("%s: measured round until %d ms (epoch)%n", name, System.currentTimeMillis());
    double wakeUps = LoadFree.per(wakeUpsStart, LoadFree.wakeUps(), received);
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu = cpuStart < 0 ? -1 : processCpuNanos() - cpuStart;
    double allocKb = LoadFree.per(allocStart, LoadFree.allocatedBytes(), received) / 1024;
    String pauses = gc.summary();
    double[] gcSplit = latencies.outsidePauses(gc.pauses());
    double[] addedGcSplit = added.outsidePauses(gc.pauses());
    String loopLag = lag == null ? "-" : lag.summary();
    String tailCause = tail.summary(gc.pauses());
    double cpuPercent = cpu < 0 ? -1 : cpu / 1e9 / seconds / Runtime.getRuntime().availableProcessors() * 100;
    if (latencies.count() != (long) conversations * words()) {
      throw new IllegalStateException(name + ": timed " + latencies.count() + " words of "
          + (long) conversations * words() + " (words missed between the model and the client)");
    }
    if (added.count() > 0 && added.count() != latencies.count()) {
      throw new IllegalStateException(name + ": " + latencies.count() + " words read, " + added.count()
          + " of them stamped on their way through the agent's node");
    }
    return new Result(name, received, latencies.percentile(0.50), latencies.percentile(0.99), added.percentile(0.50),
        added.percentile(0.99), in.percentile(0.50), in.percentile(0.99), received / seconds,
        peaks.peakRssMb(), cpuPercent, cpu < 0 ? -1 : cpu / 1e3 / received, allocKb, wakeUps, pauses, gcSplit[0],
        gcSplit[1], addedGcSplit[1], loopLag, tailCause);
  }

  private long round(int count, Function<String, Future<Integer>> conversation, List<io.vertx.core.Context> from,
                     TokenLatencies latencies) throws Exception {
    round++;
    written.clear();
    emitted.clear();
    this.latencies = latencies;
    List<Future<Integer>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Promise<Integer> one = Promise.promise();
      String question = question(round, i);
      long delayMs = rate > 0 ? Math.round(i * 1_000 / rate) : 0;   // paced: the i-th starts i/rate s after the first
      io.vertx.core.Context origin = from.get(i % from.size());
      origin.runOnContext(v -> { // the conversation's client (stream, HTTP) lives there
        if (delayMs < 1) {
          conversation.apply(question).onComplete(one);
        } else {
          origin.owner().setTimer(delayMs, t -> conversation.apply(question).onComplete(one));
        }
      });
      all.add(one.future());
    }
    await(Future.all(all));
    long received = 0;
    for (Future<Integer> one : all) {
      if (one.result() < tokens) {
        throw new IllegalStateException("a conversation received " + one.result() + " of its " + tokens + " tokens");
      }
      received += one.result();
    }
    return received;
  }

  private volatile TokenLatencies latencies;
  /** The loop-lag probe ({@code --probe-us}), or {@code null}. */
  private LoopLag lag;
  /** Per token read, from its emit in the node to the read (paths through Graphloop only). */
  private volatile TokenLatencies added;
  /** Per token read, from the model's write to its emit in the node. */
  private volatile TokenLatencies in;
  /** Per token read, its three stamps: what the slowest tokens had around them. */
  private volatile TokenTail tail;

  /** Every event loop's context of {@code owner} (conversation i starts on the (i mod n)-th), or one context. */
  private void contexts(Vertx owner, List<io.vertx.core.Context> into) {
    if (!everyLoop) {
      into.add(owner.getOrCreateContext());
      return;
    }
    io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) owner;
    for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
      into.add(internal.contextBuilder().withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
          .withEventLoop((io.netty.channel.EventLoop) loop).build());
    }
  }

  /** The answer is "You said: echo w1 ... wN": N = tokens - 3 timed words. */
  private int words() {
    return tokens - 3;
  }

  private String question(int round, int conversation) {
    StringBuilder text = new StringBuilder("echo");
    for (int i = 1; i <= words(); i++) {
      text.append(" r").append(round).append('c').append(conversation).append('w').append(i);
    }
    return text.toString();
  }

  /** Called with each text the client reads: times every word in it the model wrote (once each). */
  private int seen(CharSequence text) {
    Matcher word = WORD.matcher(text);
    int found = 0;
    long now = System.nanoTime();
    while (word.find()) {
      Long at = written.remove(word.group());
      if (at != null) {
        found++;
        Long emit = emitted.remove(word.group());
        TokenLatencies l = latencies;
        if (l != null) {
          l.add(at, now);
          if (emit != null) {
            added.add(emit, now);
            in.add(at, emit);
            tail.add(at, emit, now, Thread.currentThread().getName());
          }
        }
      }
    }
    return found;
  }

  /** The model's streamed answer read directly. */
  private Future<Integer> direct(String question) {
    JsonObject body = new JsonObject().put("model", "fake").put("stream", true).put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", question)));
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(model.port())
            .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.encode()))
        .compose(this::read);
  }

  /** The agent streamed in-process ({@code messages} events of its model's chunks). */
  private Future<Integer> streamed(String question) {
    Promise<Integer> done = Promise.promise();
    int[] count = {3};   // "You ", "said: " and "echo " carry no word
    RunEventStream stream = client.stream(Map.of("messages", List.of(Message.human(question))), new RunOptions(),
        StreamMode.MESSAGES);
    stream.handler(event -> {
      if (event.event() == io.graphloop.run.StreamEventType.MESSAGES
          && event.data().get("message") instanceof Map<?, ?> message
          && "AIMessageChunk".equals(message.get("type")) && message.get("content") instanceof String content) {
        count[0] += seen(content);
      }
    });
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(end -> done.tryComplete(count[0]));
    return done.future();
  }

  /** The agent through the server's SSE, {@code messages-tuple}. */
  private Future<Integer> served(String question) {
    JsonObject body = new JsonObject().put("assistant_id", AgentExample.NAME).put("stream_mode",
        new JsonArray().add("messages-tuple")).put("input", new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("type", "human").put("content", question))));
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(serverPort)
            .setURI("/runs/stream").putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.encode()))
        .compose(this::read);
  }

  /**
   * Reads an SSE response as it streams, line by line (lines may be split across buffers), timing the words of its
   * {@code data:} lines; the future holds the tokens seen (words plus the three leading word-less tokens).
   */
  private Future<Integer> read(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return response.body().compose(b -> Future.failedFuture("HTTP " + response.statusCode() + ": " + b));
    }
    Promise<Integer> done = Promise.promise();
    int[] count = {3};
    StringBuilder line = new StringBuilder();
    response.handler(buffer -> {
      String text = buffer.toString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n') {
          if (line.length() > 5 && line.charAt(0) == 'd' && line.indexOf("data:") == 0) {
            count[0] += seen(line);
          }
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(count[0]));
    return done.future();
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
