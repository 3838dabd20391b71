package io.graphloop.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance with LangGraph's JS reference server: {@code langgraphjs dev} ({@code @langchain/langgraph-cli} and
 * {@code -api} 1.5.1, pinned by {@code src/test/reference/package-lock.json}) serves {@code src/graphs.mjs}, the JS
 * equivalents of {@link SdkGraphs}, on a free port of 127.0.0.1, beside the jar's {@code serve} ({@link ServeJar});
 * {@code conformance.mjs} sends both the same requests and compares status codes, content types, JSON shapes and SSE
 * event names in order. Every difference must be listed in {@code known-differences.json} (reasons in
 * {@code src/docs/server-differences.md}). Skipped when node or the reference server is not installed, unless
 * {@code GRAPHLOOP_REQUIRE_REFERENCE=1} (CI), which installs it with {@code npm ci} when missing.
 *
 * <p>Runs on the JUnit thread; every wait is bounded; the reference server's process tree is killed at the end.
 */
class ConformanceIT {

  static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/reference").toAbsolutePath();
  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_REFERENCE";
  private static final long READY_SECONDS = 120;

  @Test
  void theServerAnswersAsTheReferenceServerDoesExceptForTheListedDifferences() throws Exception {
    boolean required = "1".equals(System.getenv(REQUIRE_ENV));
    Path cli = DIR.resolve("node_modules/.bin/langgraphjs");
    if (!Files.isExecutable(cli)) {
      if (!required) {
        Assumptions.abort("The reference server is not installed (run 'npm ci' in " + DIR + ", or set " + REQUIRE_ENV
            + "=1)");
      }
      SdkProcess.Result install = SdkProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), DIR, 900);
      assertEquals(0, install.exit(), "npm ci in " + DIR + " failed:\n" + install.output());
    }
    deleteTree(DIR.resolve(".langgraph_api")); // the reference server keeps its in-memory state there between runs
    int port = freePort();
    Path log = Files.createTempFile("langgraphjs-dev", ".log");
    Process reference = new ProcessBuilder(cli.toString(), "dev", "--port", String.valueOf(port), "--host",
        "127.0.0.1", "--no-browser", "--no-reload").directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try (ServeJar ours = new ServeJar("echo,slow,hitl,boom")) {
      String theirs = "http://127.0.0.1:" + port;
      awaitOk(theirs, reference, log);
      SdkProcess.Result result = SdkProcess.run(List.of("node", "conformance.mjs", ours.url(), theirs), DIR, 600);
      assertEquals(0, result.exit(), "differences from the reference server that are not listed in "
          + "known-differences.json:\n" + result.output());
      assertTrue(result.output().contains("same stream values+updates"), result.output());
    } finally {
      reference.descendants().forEach(ProcessHandle::destroy);
      reference.destroy();
      if (!reference.waitFor(20, TimeUnit.SECONDS)) {
        reference.descendants().forEach(ProcessHandle::destroyForcibly);
        reference.destroyForcibly();
      }
      Files.deleteIfExists(log);
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Polls {@code GET /ok} (bounded) until the reference server answers. */
  private static void awaitOk(String base, Process process, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/ok"))
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
        + process.isAlive() + "):\n" + Files.readString(log));
  }
}
