package io.graphloop.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bench client's floor ({@code ServerBench --trivial}): instead of {@code serve}, a child JVM with a bare Vert.x
 * HTTP server (one per event loop, as {@code serve}) that answers each {@code POST /runs/stream} with an event stream
 * of the seed graph's shape and no graph, no router, no run record: the request body read, a {@code metadata} event
 * and the input's {@code values} at once, and after the graph's own time (100 ms: one superstep of two parallel
 * 100 ms nodes) the final {@code values} event and the end. A streams row against it is what the bench client (and
 * the loopback, and a Vert.x HTTP server) cost on their own; what {@code serve} adds above it is the server's.
 *
 * <pre>
 * java -cp graphloop-bench.jar io.graphloop.bench.ServerBenchTrivial [--delay-ms 100] [--http2-max-streams N]
 * </pre>
 *
 * Answers {@link ServerBench}'s {@code stats} and {@code gc} commands as {@link ServerBenchServe} does.
 *
 * <p>Thread rules: each HTTP server's handler runs on its event loop and never blocks; the main thread waits.
 */
public final class ServerBenchTrivial {

  private static final Buffer HEAD = Buffer.buffer("event: metadata\ndata: {\"run_id\":"
      + "\"1f0c0000-0000-7000-8000-000000000000\",\"attempt\":1}\n\nevent: values\ndata: {\"query\":\"q\"}\n\n");
  private static final Buffer TAIL = Buffer.buffer("event: values\ndata: {\"query\":\"q\",\"llm_result\":"
      + "\"LLM answer for: q\",\"db_result\":\"DB result for: q\"}\n\n");

  private ServerBenchTrivial() {
  }

  public static void main(String[] args) throws Exception {
    java.util.List<String> list = java.util.Arrays.asList(args);
    long delayMs = value(list, "--delay-ms", 100);
    int h2Streams = (int) value(list, "--http2-max-streams", 100);
    Vertx vertx = Vertx.vertx(new VertxOptions());
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(20_000);
    options.getInitialSettings().setMaxConcurrentStreams(h2Streams);
    int loops = 2 * Runtime.getRuntime().availableProcessors(); // Vert.x's default event loops
    CountDownLatch listening = new CountDownLatch(loops);
    for (int i = 0; i < loops; i++) {
      vertx.deployVerticle(new io.vertx.core.VerticleBase() {
        @Override
        public io.vertx.core.Future<?> start() {
          return vertx.createHttpServer(options).requestHandler(request -> answer(vertx, request, delayMs)).listen();
        }
      }).onComplete(done -> listening.countDown());
    }
    if (!listening.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the trivial responder did not listen within 60 s");
    }
    Thread stats = new Thread(ServerBenchServe::answerStats, "bench-stats");
    stats.setDaemon(true);
    stats.start();
    System.out.println("server ready http://127.0.0.1:" + port + " graphs=trivial");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void answer(Vertx vertx, HttpServerRequest request, long delayMs) {
    request.body().onSuccess(body -> {
      var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
      response.write(HEAD);
      vertx.setTimer(delayMs, id -> {
        if (!response.closed()) {
          response.end(TAIL);
        }
      });
    });
  }

  private static long value(java.util.List<String> args, String name, long otherwise) {
    int at = args.indexOf(name);
    return at < 0 || at + 1 >= args.size() ? otherwise : Long.parseLong(args.get(at + 1));
  }
}
