package io.graphloop.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * LangGraph's JS reference server, {@code langgraphjs dev}, as installed by {@code npm ci} in a directory (the
 * project's {@code src/test/reference}): started there with one of its configurations, in memory, on a free port of
 * 127.0.0.1, its state directory ({@code .langgraph_api}, where it keeps its in-memory state between runs) removed
 * first, its output in a temporary log file. {@link #close} stops its process tree and removes the log. The tests'
 * {@code ReferenceServer} (which may install it first, or skip) and {@code ServerBench --reference} start it this way.
 *
 * <p>Source root {@code src/support/java}: compiled with the tests, and into the benchmark jar by the {@code bench}
 * profile. Not thread-safe: start and stop it from one thread. Every wait is bounded ({@link #READY_SECONDS} for
 * {@code GET /ok}, {@link #STOP_SECONDS} to stop).
 */
public final class JsReferenceServer implements AutoCloseable {

  /** How long the server may take to answer {@code GET /ok} after its start. */
  public static final long READY_SECONDS = 120;
  /** How long its process tree may take to end before it is killed. */
  public static final long STOP_SECONDS = 20;

  private final Process process;
  private final Path log;
  private final String url;

  private JsReferenceServer(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /** The server's command line in {@code dir}: whether {@link #start} can run it. */
  public static Path cli(Path dir) {
    return dir.resolve("node_modules/.bin/langgraphjs");
  }

  /**
   * Starts the reference server installed in {@code dir} with configuration {@code config} (a file of {@code dir}, or
   * {@code null} for its {@code langgraph.json}) and waits until it answers.
   *
   * @throws IllegalStateException when it is not installed there, or does not answer within {@link #READY_SECONDS}
   *                               (its output in the message)
   */
  public static JsReferenceServer start(Path dir, String config) throws IOException, InterruptedException {
    Path cli = cli(dir);
    if (!Files.isExecutable(cli)) {
      throw new IllegalStateException("The reference server is not installed: run 'npm ci' in " + dir);
    }
    deleteTree(dir.resolve(".langgraph_api"));
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile("langgraphjs-dev", ".log");
    List<String> command = new ArrayList<>(List.of(cli.toString(), "dev", "--port", String.valueOf(port), "--host",
        "127.0.0.1", "--no-browser", "--no-reload"));
    if (config != null) {
      command.addAll(List.of("--config", config));
    }
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      Files.deleteIfExists(log);
      throw e;
    }
    JsReferenceServer server = new JsReferenceServer(process, log, "http://127.0.0.1:" + port);
    try {
      server.awaitOk();
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return url;
  }

  /** The server's process (its tree holds the Node.js workers). */
  public long pid() {
    return process.pid();
  }

  /** What the server printed so far. */
  public String output() {
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
    if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** Polls {@code GET /ok} (bounded) until the server answers. */
  private void awaitOk() throws IOException, InterruptedException {
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
        + process.isAlive() + "):\n" + output());
  }
}
