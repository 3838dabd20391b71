package io.graphloop.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP server benchmark (issue 13): {@code POST /runs/wait} runs/s and p50/p99 latency with 1, 10 and 100
 * concurrent clients on the seed graph without latency, and 1,000 and 10,000 concurrent SSE streams
 * ({@code POST /runs/stream}) of the seed graph with 100 ms nodes: wall time, the server's peak RSS and threads, and
 * load-independent figures: the server's and this load generator's CPU time per stream ({@code /proc/PID/stat}, the
 * process CPU time), and the TCP accept-queue overflows and SYN retransmits during the streams
 * ({@code /proc/net/netstat}: a full accept queue delays a connection by the client's SYN timeout, 1 s then 3 s),
 * the server's write and read system calls per stream ({@code /proc/PID/io}: one write per SSE chunk or flush), and
 * the "blocked thread" warnings the server logged during the streams (Vert.x's {@code BlockedThreadChecker}, read from
 * the child's standard error, which is copied to this JVM's).
 * The server is {@code serve} in a child JVM ({@link ServerBenchServe}, {@code -Xmx2g}), on 127.0.0.1.
 *
 * <p><b>Two load generators</b> ({@code --clients vertx,h2load}, both by default), each row naming its own:
 * <ul>
 * <li>{@code Vert.x client}: this JVM's Vert.x HTTP client, as a JVM application or an SDK's pooled client drives
 * {@code serve}. It costs nearly as much CPU per stream as a bare Vert.x server does (see {@code --trivial}), and on
 * one machine it shares the server's cores, so its rows measure the client nearly as much as the server. It alone
 * gives the kept-alive rows (a second pass over the connections the first left open) and the {@code /runs/wait}
 * rows.</li>
 * <li>{@code h2load} ({@link H2load}: nghttp2's native load generator, Debian {@code nghttp2-client}, one thread,
 * {@code --h2load PATH}): the standard way to load an HTTP server so that the server is what is measured. Its rows
 * open their connections at the start (HTTP/1.1: one per stream; h2c: the same few connections as the Vert.x
 * rows), count each stream's status and end, and compare the body bytes with complete streams, one of which this
 * bench parses itself ({@link StreamSample}). Without h2load its rows say "not available" and the rest runs.</li>
 * </ul>
 * The Vert.x client's rows run twice: over HTTP/1.1 (one connection per stream) and
 * over HTTP/2 cleartext with prior knowledge ({@code h2c}: the streams multiplexed over a few connections,
 * {@code --h2-streams-per-connection} each, 1,000 by default, as a browser or a proxy multiplexes them; the child
 * server announces that many with {@code serve --http2-max-streams}). The client reads each stream as an SDK would at
 * most: incrementally, chunk by chunk, looking only for a {@code values} event and the end (no JSON decoded, no body
 * kept). Each streams row runs once more over the same clients, whose connections the first left open (HTTP
 * keep-alive, as an SDK's pooled client keeps them; {@code --no-reuse} skips it), and counts the connections it opened.
 * Writes a Markdown table to {@code target/bench/SERVER-BENCHMARKS.md} and prints it.
 *
 * <pre>
 * mvn -B -q -Pbench package && java -cp target/bench/graphloop-bench.jar io.graphloop.bench.ServerBench [--quick]
 *     [--streams N] [--protocols h1,h2] [--h2-streams-per-connection 1000] [--no-reuse]
 *     [--server-jvm "-Xms256m -Xmx2g -XX:+UseG1GC"] [--nmt] [--trivial]
 *     [--clients vertx,h2load] [--h2load PATH] [--bound-seconds 300]
 *     [--target http://127.0.0.1:2024 --pid PID --fast-assistant ID --slow-assistant ID | --reference DIR]
 * </pre>
 *
 * {@code --trivial} (with {@code --streams}) runs the same streams against {@link ServerBenchTrivial} instead of
 * {@code serve}: a bare Vert.x HTTP server answering each stream with the seed stream's shape after 100 ms, the
 * bench client's own floor (what the client, the loopback and Vert.x's HTTP server cost without Graphloop).
 * {@code --server-jvm} replaces the server JVM's flags ({@value #DEFAULT_SERVER_JVM} by default); {@code --nmt} runs it
 * with native memory tracking and adds its committed memory by category ({@code jcmd VM.native_memory}) to the
 * streams rows. Against the child server the streams rows also give its allocation per stream, GC during the
 * streams, and the heap still retained after a full GC once they ended (load-independent figures).
 *
 * {@code --streams N} runs only a warm-up of 1,000 streams and then {@code N} streams (no {@code /runs/wait} loads);
 * {@code --protocols} which of the two streams rows run ({@code h1}, {@code h2}; both by default).
 * {@code --target} runs the same load against a server already running (e.g. the JS reference server,
 * {@code langgraphjs dev}), with its process id for RSS/threads and its assistant ids for the two graphs.
 * {@code --reference DIR} starts LangGraph's JS reference server itself
 * ({@link io.graphloop.support.JsReferenceServer}: {@code DIR} is {@code src/test/reference} after {@code npm ci}
 * there, {@code langgraph-bench.json} with its seed graph {@code src/seed.mjs}) and runs the load
 * against it; it speaks HTTP/1.1 only ({@code --protocols h1}). Its RSS, threads and CPU count its process tree.
 * {@code --bound-seconds} bounds each h2load row (300 s by default): a row that does not finish says so.
 *
 * <p>Runs on the main thread, which waits (bounded) for the load's futures; the load itself runs on Vert.x.
 */
public final class ServerBench {

  /** The server JVM's flags unless {@code --server-jvm} gives others. */
  static final String DEFAULT_SERVER_JVM = "-Xms256m -Xmx2g -XX:+UseG1GC";
  /** The child server's standard streams ({@code null} with {@code --target}). */
  private static ServerBenchChild stats;
  /** The connections of one HTTP client in the streams load (its pool's size). */
  private static final int STREAMS_PER_CLIENT = 100;
  /** The streams multiplexed over one HTTP/2 connection ({@code --h2-streams-per-connection}). */
  private static int h2StreamsPerConnection = 1_000;
  /** The h2load executable ({@code --h2load}, {@code h2load} on the path by default). */
  private static String h2load;
  /** h2load's version, or {@code null} when it is not available or not asked for. */
  private static String h2loadVersion;

  private final Vertx vertx = Vertx.vertx();
  private final String host;
  private final int port;
  private final long pid;
  private final String fast;
  private final String slow;

  private ServerBench(URI base, long pid, String fast, String slow) {
    this.host = base.getHost();
    this.port = base.getPort();
    this.pid = pid;
    this.fast = fast;
    this.slow = slow;
  }

  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    boolean quick = list.contains("--quick");
    String only = option(list, "--streams");
    String target = option(list, "--target");
    Process child = null;
    URI base;
    long pid;
    boolean nmt = list.contains("--nmt");
    String jvm = option(list, "--server-jvm");
    String perConnection = option(list, "--h2-streams-per-connection");
    if (perConnection != null) {
      h2StreamsPerConnection = Integer.parseInt(perConnection);
    }
    boolean reuse = !list.contains("--no-reuse");
    String bound = option(list, "--bound-seconds");
    long boundSeconds = bound == null ? 300 : Long.parseLong(bound);
    String protocolList = option(list, "--protocols");
    List<String> protocols = protocolList == null ? List.of("h1", "h2") : Arrays.asList(protocolList.split(","));
    String clientList = option(list, "--clients");
    List<String> loads = clientList == null ? List.of("vertx", "h2load") : Arrays.asList(clientList.split(","));
    String h2loadPath = option(list, "--h2load");
    h2load = h2loadPath == null ? "h2load" : h2loadPath;
    h2loadVersion = loads.contains("h2load") ? H2load.version(h2load) : null;
    System.out.println("h2load: " + (h2loadVersion == null ? "not available (" + h2load + ")" : h2loadVersion));
    String referenceDir = option(list, "--reference");
    io.graphloop.support.JsReferenceServer reference = null;
    if (referenceDir != null) {
      // the seed graph as seed-100ms and seed-0ms (src/test/reference/src/seed.mjs)
      reference = io.graphloop.support.JsReferenceServer.start(Path.of(referenceDir), "langgraph-bench.json");
      System.out.println("reference server: " + reference.url() + " (langgraphjs dev, pid " + reference.pid() + ")");
      target = reference.url();
    }
    if (reference != null) {
      base = URI.create(target);
      pid = reference.pid();
    } else if (target == null) {
      child = startServe(jvm == null ? DEFAULT_SERVER_JVM : jvm, nmt, list.contains("--trivial"));
      stats = new ServerBenchChild(child);
      base = URI.create(stats.readyUrl());
      pid = child.pid();
    } else {
      base = URI.create(target);
      pid = Long.parseLong(option(list, "--pid"));
    }
    // the reference server's graphs are named as serve's (src/test/reference/langgraph-bench.json): a graph id is
    // an assistant id there too
    String fast = target == null || reference != null ? ServerBenchServe.FAST : option(list, "--fast-assistant");
    String slow = target == null || reference != null ? ServerBenchServe.SLOW : option(list, "--slow-assistant");
    ServerBench bench = new ServerBench(base, pid, fast, slow);
    String loadBefore = ProcStats.loadAverage();
    List<String> rows = new ArrayList<>();
    try {
      long seconds = quick ? 3 : 10;
      for (int clients : only != null ? new int[0] : new int[] {1, 10, 100}) {
        bench.waitRuns(clients, 1); // warm-up
        rows.add(bench.waitRuns(clients, seconds));
      }
      int[] counts = only != null ? new int[] {Integer.parseInt(only)} : quick ? new int[] {1_000}
          : new int[] {1_000, 10_000};
      if (only != null) {
        for (String protocol : protocols) {
          // warm-up (the full run warms up with the /runs/wait loads)
          if (loads.contains("vertx")) {
            bench.streams(1_000, protocol.equals("h2"), false);
          } else {
            bench.h2loadRow(Math.min(1_000, counts[0]), protocol.equals("h2"), boundSeconds);
          }
        }
      }
      for (int streams : counts) {
        for (String protocol : protocols) {
          if (loads.contains("vertx")) {
            rows.addAll(bench.streams(streams, protocol.equals("h2"), reuse));
          }
          if (loads.contains("h2load")) {
            rows.add(bench.h2loadRow(streams, protocol.equals("h2"), boundSeconds));
          }
        }
      }
    } finally {
      if (reference != null) {
        reference.close();
      }
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (child != null) {
        child.destroy();
        child.waitFor(30, TimeUnit.SECONDS);
      }
    }
    String table = "Measured " + Instant.now() + " against " + (target == null ? "Graphloop's serve" : target)
        + " with " + Runtime.getRuntime().availableProcessors() + " cores; load average (1/5/15 min) before: "
        + loadBefore + ", after: " + ProcStats.loadAverage() + ".\n\n"
        + "| workload | clients/streams | result |\n|---|---:|---|\n" + String.join("\n", rows) + "\n";
    Path out = Path.of("target/bench/SERVER-BENCHMARKS" + (quick ? "-quick" : "") + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println(table);
  }

  private static String option(List<String> args, String name) {
    int at = args.indexOf(name);
    if (at < 0 || at + 1 >= args.size()) {
      if (List.of("--target", "--streams", "--server-jvm", "--h2-streams-per-connection", "--protocols", "--clients",
          "--h2load", "--reference", "--bound-seconds").contains(name)) {
        return null;
      }
      throw new IllegalArgumentException(name + " needs a value (with --target)");
    }
    return args.get(at + 1);
  }

  private static Process startServe(String jvm, boolean nmt, boolean trivial) throws IOException {
    String jar = Path.of(ServerBench.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : jvm.trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        command.add(flag);
      }
    }
    if (nmt) {
      command.add("-XX:NativeMemoryTracking=summary");
    }
    if (trivial) { // the client's floor: no serve, a bare responder with the seed stream's shape and 100 ms
      command.addAll(List.of("-cp", jar, ServerBenchTrivial.class.getName(), "--http2-max-streams",
          Integer.toString(h2StreamsPerConnection)));
    } else {
      // the server keeps idle connections as long as the bench client does (its keep-alive timeout, 5 s by default,
      // would close the connections the kept-alive rows reuse while the bench reads the server's stats between rows)
      Path conf = Files.createTempFile("server-bench", ".json");
      conf.toFile().deleteOnExit();
      Files.writeString(conf, new JsonObject().put("server", new JsonObject().put("keepAliveTimeoutMs",
          KEEP_ALIVE_SECONDS * 1000L)).encode());
      command.addAll(List.of("-cp", jar, ServerBenchServe.class.getName(), "--port", "0", "--max-streams", "20000",
          "--http2-max-streams", Integer.toString(h2StreamsPerConnection), "--conf", conf.toString(),
          "--graphs", ServerBenchServe.FAST + "," + ServerBenchServe.SLOW));
    }
    System.out.println("server: " + String.join(" ", command.subList(0, command.indexOf("-cp"))));
    return new ProcessBuilder(command).start();
  }

  private HttpClientAgent client(int connections) {
    return vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setDefaultHost(host)
        .setDefaultPort(port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections)
        .setMaxWaitQueueSize(-1));
  }

  /** {@code clients} loops of {@code POST /runs/wait} for {@code seconds}: runs/s, p50, p99. */
  private String waitRuns(int clients, long seconds) throws Exception {
    HttpClientAgent http = client(clients);
    Buffer body = Buffer.buffer(new JsonObject().put("assistant_id", fast).put("input", new JsonObject()
        .put("query", "q")).encode());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long[][] latencies = new long[clients][];
    List<Future<Void>> loops = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    for (int c = 0; c < clients; c++) {
      List<Long> mine = new ArrayList<>();
      Promise<Void> done = Promise.promise();
      int index = c;
      loop(http, body, end, mine, failures, () -> {
        latencies[index] = mine.stream().mapToLong(Long::longValue).toArray();
        done.complete();
      });
      loops.add(done.future());
    }
    long started = System.nanoTime();
    Future.all(loops).toCompletionStage().toCompletableFuture().get(seconds + 120, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - started) / 1e9;
    http.close();
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return String.format("| POST /runs/wait (seed, 0 ms) | %d | %,.0f runs/s, p50 %.2f ms, p99 %.2f ms (%,d runs, "
            + "%d failed, %.1f s) |", clients, all.length / elapsed, Stats.percentile(all, 0.50) / 1e6,
        Stats.percentile(all, 0.99) / 1e6, all.length, failures.get(), elapsed);
  }

  private void loop(HttpClient http, Buffer body, long end, List<Long> latencies, AtomicLong failures,
                    Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    long start = System.nanoTime();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/runs/wait")
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()))
        .onComplete(done -> {
          if (done.succeeded() && done.result() == 200) {
            latencies.add(System.nanoTime() - start);
          } else {
            failures.incrementAndGet();
          }
          loop(http, body, end, latencies, failures, finished);
        });
  }

  /**
   * {@code count} concurrent {@code POST /runs/stream} of the 100 ms seed graph, each read to its end: over HTTP/1.1
   * with one connection per stream, or with {@code h2} over HTTP/2 cleartext (prior knowledge), the streams
   * multiplexed over {@code ceil(count / h2StreamsPerConnection)} connections. The first row opens its connections;
   * with {@code reuse} a second row sends the same streams again over the same clients, whose connections the first
   * row left open (HTTP keep-alive, as an SDK's pooled client, {@code httpx} or {@code fetch}, keeps them): no
   * connection to accept, set up or close per stream. Each row counts the connections it opened.
   */
  private List<String> streams(int count, boolean h2, boolean reuse) throws Exception {
    // HTTP/1.1: one client per STREAMS_PER_CLIENT streams: a request picks its connection by a linear scan of its
    // pool's connections (SharedHttpClientConnectionGroup's selector), quadratic in the streams with one pool of 10,000
    List<HttpClientAgent> clients = new ArrayList<>();
    AtomicLong opened = new AtomicLong();
    int connections = h2 ? (count + h2StreamsPerConnection - 1) / h2StreamsPerConnection : count;
    if (h2) {
      clients.add(vertx.httpClientBuilder().with(new io.vertx.core.http.HttpClientOptions().setDefaultHost(host)
              .setDefaultPort(port).setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
              .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(h2StreamsPerConnection)
              .setHttp2KeepAliveTimeout(KEEP_ALIVE_SECONDS))
          .with(new PoolOptions().setHttp2MaxSize(connections).setMaxWaitQueueSize(-1))
          .withConnectHandler(connection -> opened.incrementAndGet()).build());
    } else {
      for (int i = 0; i < count; i += STREAMS_PER_CLIENT) {
        clients.add(vertx.httpClientBuilder().with(new io.vertx.core.http.HttpClientOptions().setDefaultHost(host)
                .setDefaultPort(port).setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS))
            .with(new PoolOptions().setHttp1MaxSize(Math.min(STREAMS_PER_CLIENT, count - i)).setMaxWaitQueueSize(-1))
            .withConnectHandler(connection -> opened.incrementAndGet()).build());
      }
    }
    try {
      List<String> rows = new ArrayList<>();
      rows.add(streamsRow(clients, opened, count, h2, connections, "new connections"));
      if (reuse) {
        rows.add(streamsRow(clients, opened, count, h2, connections, "connections kept alive"));
      }
      return rows;
    } finally { // closed before the next row (an h2load row's connections would otherwise meet these closes)
      List<Future<Void>> closed = new ArrayList<>();
      clients.forEach(client -> closed.add(client.close()));
      Future.join(closed).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** How long the streams rows' clients keep an idle connection (longer than a row). */
  private static final int KEEP_ALIVE_SECONDS = 600;

  /** One streams row over {@code clients} (see {@link #streams}): the bench's Vert.x client as the load. */
  private String streamsRow(List<HttpClientAgent> clients, AtomicLong opened, int count, boolean h2, int connections,
                            String connectionKind) throws Exception {
    int perClient = h2 ? count : STREAMS_PER_CLIENT;
    Buffer body = streamBody();
    String label = (h2 ? "h2c, " + connections + " connections" : "HTTP/1.1") + ", " + connectionKind
        + ", Vert.x client";
    return measured(label, count, () -> {
      long openedBefore = opened.get();
      long benchCpuBefore = ProcStats.benchCpuNanos();
      AtomicLong failures = new AtomicLong();
      java.util.Map<String, Integer> reasons = new java.util.concurrent.ConcurrentHashMap<>();
      List<Future<Void>> all = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < count; i++) {
        all.add(clients.get(i / perClient).request(new RequestOptions().setMethod(HttpMethod.POST)
                .setURI("/runs/stream").putHeader("Content-Type", "application/json").setIdleTimeout(300_000))
            .compose(request -> request.send(body))
            .compose(response -> read(response, failures, reasons))
            .recover(failure -> {
              failures.incrementAndGet();
              reasons.merge(String.valueOf(failure).replace('|', '/'), 1, Integer::sum);
              return Future.succeededFuture();
            }));
      }
      Future.all(all).toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
      double wall = (System.nanoTime() - started) / 1e9;
      return new Outcome(wall, failures.get(), reasons, (ProcStats.benchCpuNanos() - benchCpuBefore) / 1e6,
          opened.get() - openedBefore, "");
    });
  }

  /**
   * One streams row driven by h2load ({@link H2load}): {@code count} streams at once, over HTTP/1.1 one new connection
   * each, over h2c multiplexed over {@code ceil(count / h2StreamsPerConnection)} connections (h2load opens them at its
   * start: no kept-alive row). Before it, one stream of the same request is read by the bench's own client and
   * parsed ({@link StreamSample}); the row counts a stream failed unless h2load saw it succeed with a 2xx, and the
   * whole row failed when its body bytes are fewer than {@code count} streams of the sample's length (a stream cut
   * short). Without h2load the row says "not available".
   */
  private String h2loadRow(int count, boolean h2, long boundSeconds) throws Exception {
    int connections = h2 ? (count + h2StreamsPerConnection - 1) / h2StreamsPerConnection : count;
    String label = (h2 ? "h2c, " + connections + " connections" : "HTTP/1.1") + ", new connections, h2load";
    if (h2loadVersion == null) {
      return "| POST /runs/stream (seed, 100 ms nodes), " + label + " | " + String.format("%,d", count)
          + " | not available (no h2load at '" + h2load + "': apt-get install nghttp2-client) |";
    }
    Thread.sleep(1_000); // the server settles after the row before (its connections' closes)
    StreamSample sample = StreamSample.read(vertx, host, port, h2, streamBody());
    Path body = Files.createTempFile("server-bench-body", ".json");
    try {
      Files.write(body, streamBody().getBytes());
      return measured(label, count, () -> {
        H2load.Result run;
        try {
          run = H2load.run(h2load, "http://" + host + ":" + port + "/runs/stream", body, count, h2,
              h2StreamsPerConnection, boundSeconds);
        } catch (IllegalStateException e) { // not finished within the bound, or no summary: the row says so
          return new Outcome(boundSeconds, count, java.util.Map.of(e.getMessage().replace('\n', ' ')
              .replace('|', '/'), count), -1, connections, "; NOT FINISHED");
        }
        java.util.Map<String, Integer> reasons = new java.util.HashMap<>();
        long failed = Math.max(run.failed(), run.requests() - run.status2xx());
        if (failed > 0) {
          reasons.put("not a 2xx or not ended (h2load: " + run.succeeded() + " succeeded, " + run.status2xx()
              + " 2xx, " + run.statusOther() + " other statuses)", (int) failed);
        }
        long complete = (long) count * sample.bytes();
        if (!sample.complete() || run.dataBytes() < complete) {
          reasons.put(sample.complete() ? "body bytes " + run.dataBytes() + " short of " + count
              + " complete streams (" + complete + ")" : "the sample stream: " + sample.summary(), 1);
          failed = Math.max(failed, 1);
        }
        String note = String.format("; body %.1f B per stream, a complete stream %d B (sample parsed: %s)",
            run.dataBytes() / (double) count, sample.bytes(), sample.summary());
        return new Outcome(run.wallSeconds(), failed, reasons, run.cpuSeconds() * 1000, connections, note);
      });
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** The request of every streams row: the seed graph's input, {@code values} mode. */
  private Buffer streamBody() {
    return Buffer.buffer(new JsonObject().put("assistant_id", slow).put("input", new JsonObject()
        .put("query", "q")).put("stream_mode", "values").encode());
  }

  /**
   * What a streams row's load gave: its wall, its failed streams (with their reasons), the load generator's CPU time,
   * the connections it opened, and a note for the row.
   */
  record Outcome(double wall, long failures, java.util.Map<String, Integer> reasons, double clientCpuMs,
                 long connectionsOpened, String note) {
  }

  /** A streams row's load, run on the main thread (it waits, bounded, for its streams to end). */
  interface Load {
    Outcome run() throws Exception;
  }

  /**
   * Runs {@code load} ({@code count} streams) and measures the server around it: its CPU time, system calls, peak
   * RSS and threads, and against the child server its allocation, GC, retained heap and blocked-thread warnings.
   */
  private String measured(String label, int count, Load load) throws Exception {
    long[] peak = {0, 0};
    JsonObject statsBefore = stats == null ? null : stats.ask("stats");
    long blockedBefore = stats == null ? 0 : stats.blockedWarnings();
    long serverCpuBefore = ProcStats.cpuTicks(pid);
    long serverSystemBefore = ProcStats.systemTicks(pid);
    long[] ioBefore = ProcStats.syscalls(pid);
    long[] tcpBefore = ProcStats.tcpCounters();
    long sampler = vertx.setPeriodic(100, id -> ProcStats.sample(pid, peak));
    Outcome outcome;
    try {
      outcome = load.run();
    } finally {
      vertx.cancelTimer(sampler);
    }
    ProcStats.sample(pid, peak);
    double serverCpuMs = (ProcStats.cpuTicks(pid) - serverCpuBefore) * 1000.0 / ProcStats.TICKS_PER_SECOND;
    double serverSystemMs = (ProcStats.systemTicks(pid) - serverSystemBefore) * 1000.0 / ProcStats.TICKS_PER_SECOND;
    long[] ioAfter = ProcStats.syscalls(pid);
    long[] tcpAfter = ProcStats.tcpCounters();
    String server = outcome.note();
    if (stats != null && statsBefore != null) {
      JsonObject after = stats.ask("stats");
      String nmt = ProcStats.nativeMemory(pid);
      JsonObject retained = stats.ask("gc");
      if (after != null && retained != null) {
        server += String.format("; server allocated %.1f KB per stream, GC %d collections %d ms, heap after the "
                + "streams %,d MB (committed %,d MB), retained after a full GC %,d MB%s; blocked-thread warnings %d",
            (after.getLong("allocated") - statsBefore.getLong("allocated")) / 1024.0 / count,
            after.getLong("collections") - statsBefore.getLong("collections"),
            after.getLong("gcMs") - statsBefore.getLong("gcMs"), after.getLong("heapUsed") >> 20,
            after.getLong("heapCommitted") >> 20, retained.getLong("heapUsed") >> 20, nmt,
            stats.blockedWarnings() - blockedBefore);
      }
    }
    if (!outcome.reasons().isEmpty()) { // the failures' kinds, most frequent first (at most 3)
      List<java.util.Map.Entry<String, Integer>> kinds = new ArrayList<>(outcome.reasons().entrySet());
      kinds.sort(java.util.Map.Entry.<String, Integer>comparingByValue().reversed());
      StringBuilder why = new StringBuilder("; failures:");
      kinds.stream().limit(3).forEach(kind -> why.append(' ').append(kind.getValue()).append(" x ").append(kind.getKey())
          .append(';'));
      server += why;
    }
    return String.format("| POST /runs/stream (seed, 100 ms nodes), %s | %,d | wall %.2f s, server peak RSS %,d "
            + "MB, peak threads %d, %d failed; connections opened %,d; CPU per stream: server %.3f ms (kernel %.3f), "
            + "load generator %.3f ms; server syscalls per stream: %.2f writes, %.2f reads; TCP listen overflows %d, "
            + "SYN retransmits %d%s |",
        label, count, outcome.wall(), peak[0] / 1024, peak[1], outcome.failures(), outcome.connectionsOpened(),
        serverCpuMs / count, serverSystemMs / count, outcome.clientCpuMs() / count,
        (ioAfter[1] - ioBefore[1]) / (double) count, (ioAfter[0] - ioBefore[0]) / (double) count,
        tcpAfter[0] - tcpBefore[0], tcpAfter[1] - tcpBefore[1], server);
  }

  /** The bytes a stream must hold: one {@code values} event. */
  private static final byte[] VALUES_EVENT = "event: values".getBytes(StandardCharsets.US_ASCII);
  /** Knuth-Morris-Pratt: the longest proper border of each prefix of {@link #VALUES_EVENT}. */
  private static final int[] BORDERS = borders(VALUES_EVENT);

  private static int[] borders(byte[] pattern) {
    int[] borders = new int[pattern.length];
    for (int i = 1, k = 0; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = borders[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      borders[i] = k;
    }
    return borders;
  }

  /**
   * Reads one event stream as an SDK would at most: chunk by chunk as it comes, looking only for a {@code values}
   * event (a byte match that spans chunks) and the end; nothing decoded, nothing kept. A refusal's body is kept for
   * the failure's reason.
   */
  private static Future<Void> read(io.vertx.core.http.HttpClientResponse response, AtomicLong failures,
                                   java.util.Map<String, Integer> reasons) {
    if (response.statusCode() != 200) {
      return response.body().map(text -> {
        failures.incrementAndGet();
        String answer = text.toString();
        reasons.merge(response.statusCode() + " " + answer.substring(0, Math.min(120, answer.length()))
            .replace('\n', ' ').replace('|', '/'), 1, Integer::sum);
        return null;
      });
    }
    Promise<Void> ended = Promise.promise();
    int[] matched = {0}; // how many bytes of VALUES_EVENT the stream's last bytes match
    response.handler(chunk -> {
      if (matched[0] == VALUES_EVENT.length) {
        return;
      }
      for (int i = 0, n = chunk.length(); i < n; i++) {
        byte b = chunk.getByte(i);
        int k = matched[0];
        while (k > 0 && b != VALUES_EVENT[k]) {
          k = BORDERS[k - 1];
        }
        matched[0] = b == VALUES_EVENT[k] ? k + 1 : 0;
        if (matched[0] == VALUES_EVENT.length) {
          return;
        }
      }
    });
    response.exceptionHandler(ended::tryFail);
    response.endHandler(v -> {
      if (matched[0] != VALUES_EVENT.length) {
        failures.incrementAndGet();
        reasons.merge("200 without a values event", 1, Integer::sum);
      }
      ended.tryComplete();
    });
    return ended.future();
  }

}
