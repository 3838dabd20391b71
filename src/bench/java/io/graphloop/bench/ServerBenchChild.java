package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child server's standard streams: its {@code server ready} line, then its answers to {@code stats} and
 * {@code gc} ({@link ServerBenchServe}). Used from the main thread only; each answer is awaited with a bound.
 */
final class ServerBenchChild {

  private static final long READY_SECONDS = 120;
  private final Process child;
  private final BufferedReader out;
  private final java.io.Writer in;

  /** The server's "blocked thread" warnings so far (Vert.x's BlockedThreadChecker, on its standard error). */
  private final AtomicLong blocked = new AtomicLong();

  ServerBenchChild(Process child) {
    this.child = child;
    this.out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    this.in = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
    Thread errors = new Thread(this::copyErrors, "server-stderr");
    errors.setDaemon(true);
    errors.start();
  }

  /** Copies the child's standard error to this JVM's, each line after {@code server| }, counting its blocked-thread warnings. */
  private void copyErrors() {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        if (line.contains("has been blocked for") || line.contains("BlockedThreadChecker")) {
          blocked.incrementAndGet();
        }
        System.err.println("server| " + line); // the bench's own loops have the same thread names
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  long blockedWarnings() {
    return blocked.get();
  }

  String readyUrl() throws Exception {
    String line = readLine(line0 -> line0.startsWith("server ready "), READY_SECONDS);
    if (line == null) {
      child.destroyForcibly();
      throw new IllegalStateException("serve printed no 'server ready' line within " + READY_SECONDS + " s");
    }
    return line.split(" ")[2];
  }

  /** The child's answer to {@code command} ({@code stats} or {@code gc}), or {@code null} after 60 s. */
  JsonObject ask(String command) throws Exception {
    in.write(command + "\n");
    in.flush();
    String line = readLine(line0 -> line0.startsWith(ServerBenchServe.STATS), 60);
    return line == null ? null : new JsonObject(line.substring(ServerBenchServe.STATS.length()));
  }

  private String readLine(java.util.function.Predicate<String> wanted, long seconds) throws Exception {
    java.util.concurrent.CompletableFuture<String> found = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          if (wanted.test(line)) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    try {
      return found.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    }
  }
}

