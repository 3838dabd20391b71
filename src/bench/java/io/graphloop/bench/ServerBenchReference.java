package io.graphloop.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * LangGraph's JS reference server ({@code langgraphjs dev}, installed by {@code npm ci} in
 * {@code src/test/reference}) for {@code ServerBench --reference DIR}: started in {@code DIR} with
 * {@code langgraph-bench.json} (the seed graph as {@code seed-100ms} and {@code seed-0ms}, {@code src/seed.mjs}),
 * in memory, on a free port of 127.0.0.1, its state directory removed first. {@link #close} stops its process tree.
 *
 * <p>Used from the bench's main thread; every wait is bounded (120 s for {@code GET /ok}, 20 s to stop).
 */
final class ServerBenchReference implements AutoCloseable {

  private static final long READY_SECONDS = 120;

  private final Process process;
  private final String url;

  private ServerBenchReference(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the reference server of {@code dir}; fails with what to run when it is not installed. */
  static ServerBenchReference start(Path dir) throws Exception {
    Path cli = dir.resolve("node_modules/.bin/langgraphjs");
    if (!Files.isExecutable(cli)) {
      throw new IllegalStateException("The reference server is not installed: run 'npm ci' in " + dir);
    }
    Path state = dir.resolve(".langgraph_api");
    if (Files.exists(state)) {
      try (java.util.stream.Stream<Path> paths = Files.walk(state)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile("langgraphjs-bench", ".log");
    log.toFile().deleteOnExit();
    Process process = new ProcessBuilder(List.of(cli.toString(), "dev", "--port", String.valueOf(port), "--host",
        "127.0.0.1", "--no-browser", "--no-reload", "--config", "langgraph-bench.json")).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerBenchReference reference = new ServerBenchReference(process, "http://127.0.0.1:" + port);
    try {
      reference.awaitOk(log);
    } catch (Exception | AssertionError e) {
      reference.close();
      throw e;
    }
    System.out.println("reference server: " + reference.url + " (langgraphjs dev, pid " + process.pid() + ")");
    return reference;
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  /** The process whose tree is measured (RSS, threads and CPU count its children). */
  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private void awaitOk(Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url + "/ok"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (ok.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("langgraphjs dev did not answer /ok within " + READY_SECONDS + " s (alive: "
        + process.isAlive() + "):\n" + Files.readString(log));
  }
}
