package io.graphloop.server;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LangGraph's JS reference server, {@code langgraphjs dev} ({@code @langchain/langgraph-cli} and {@code -api} 1.5.1,
 * pinned by {@code src/test/reference/package-lock.json}), started on a free port of 127.0.0.1 with a configuration of
 * {@code src/test/reference} ({@code langgraph.json} unless named), in memory, its state directory
 * ({@code .langgraph_api}) removed first. When it is not installed the test is skipped, unless
 * {@code GRAPHLOOP_REQUIRE_REFERENCE=1} (CI), which installs it with {@code npm ci}. {@link #close} stops its process
 * tree.
 *
 * <p>Used from the test thread; every wait is bounded ({@link #READY_SECONDS} for {@code GET /ok}, 20 s to stop).
 */
final class ReferenceServer implements AutoCloseable {

  static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/reference").toAbsolutePath();
  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_REFERENCE";
  static final long READY_SECONDS = 120;

  private final Process process;
  private final Path log;
  private final String url;

  /** Starts the reference server with {@code config} (a file of {@link #DIR}, or null for its default). */
  ReferenceServer(String config) throws Exception {
    Path cli = DIR.resolve("node_modules/.bin/langgraphjs");
    if (!Files.isExecutable(cli)) {
      if (!"1".equals(System.getenv(REQUIRE_ENV))) {
        Assumptions.abort("The reference server is not installed (run 'npm ci' in " + DIR + ", or set " + REQUIRE_ENV
            + "=1)");
      }
      SdkProcess.Result install = SdkProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), DIR, 900);
      assertEquals(0, install.exit(), "npm ci in " + DIR + " failed:\n" + install.output());
    }
    deleteTree(DIR.resolve(".langgraph_api")); // the reference server keeps its in-memory state there between runs
    int port = freePort();
    log = Files.createTempFile("langgraphjs-dev", ".log");
    List<String> command = new ArrayList<>(List.of(cli.toString(), "dev", "--port", String.valueOf(port), "--host",
        "127.0.0.1", "--no-browser", "--no-reload"));
    if (config != null) {
      command.addAll(List.of("--config", config));
    }
    process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    url = "http://127.0.0.1:" + port;
    try {
      awaitOk();
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  /** What the server printed so far. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "[log unreadable: " + e + "]";
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Polls {@code GET /ok} (bounded) until the reference server answers. */
  private void awaitOk() throws Exception {
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
    throw new AssertionError("langgraphjs dev did not answer /ok within " + READY_SECONDS + " s (alive: "
        + process.isAlive() + "):\n" + output());
  }
}
