package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the checkpointed-chain measurement, started as the store tests'
 * {@code PostgresTestServer} starts theirs (that class is test code, so the few lines are repeated here):
 * {@code initdb} into a temporary directory, {@code pg_ctl start} on a free port of 127.0.0.1 with trust
 * authentication, a {@code graphloop_bench} database; {@link #close()} stops it and removes the directory. Unlike
 * the tests' server it keeps PostgreSQL's durable defaults ({@code fsync} and {@code synchronous_commit} on), so a
 * sync checkpoint costs what it costs in production on this disk. As root, the server commands run as the
 * {@code postgres} user.
 *
 * <p>Binaries: {@code $GRAPHLOOP_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}, else the
 * {@code PATH}; {@link #start()} returns {@code null} when there are none.
 *
 * <p>Used from the child's main thread.
 */
final class BenchPostgres implements AutoCloseable {

  private static final String USER = "postgres";
  private static final String DATABASE = "graphloop_bench";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;

  private BenchPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Where the binaries are, or {@code null}. */
  static Path binaries() {
    String configured = System.getenv("GRAPHLOOP_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Files.isExecutable(Path.of(configured, "initdb")) ? Path.of(configured) : null;
    }
    try (Stream<Path> versions = Files.isDirectory(Path.of("/usr/lib/postgresql"))
        ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
      Path newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(BenchPostgres::major)).orElse(null);
      if (newest != null) {
        return newest;
      }
    } catch (IOException e) {
      // fall through to the PATH
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
        return Path.of(entry);
      }
    }
    return null;
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Starts a server, or returns {@code null} when there are no binaries. */
  static BenchPostgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    if (bin == null) {
      return null;
    }
    boolean root = "0".equals(run(List.of("id", "-u"), Path.of("/")).trim());
    Path dir = Files.createTempDirectory("graphloop-bench-pg-");
    if (root) {
      run(List.of("chown", "-R", USER + ":", dir.toString()), dir);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    BenchPostgres server = new BenchPostgres(bin, dir, port, root);
    try {
      server.command(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
          "-A", "trust", "-E", "UTF8", "--locale=C"));
      server.command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
          dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", "-h 127.0.0.1 -p " + port + " -k " + dir,
          "start"));
      server.command(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
          USER, DATABASE));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The checkpointer configuration of a store on this server. */
  JsonObject storeConfig() {
    return new JsonObject().put("type", "postgres").put("host", "127.0.0.1").put("port", port)
        .put("database", DATABASE).put("user", USER);
  }

  /** The server's version line, for the report. */
  String version() {
    try {
      return run(List.of(bin.resolve("postgres").toString(), "--version"), dir).trim();
    } catch (IOException | InterruptedException e) {
      return "PostgreSQL (version unknown)";
    }
  }

  private void command(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", USER, "--"));
    }
    full.addAll(command);
    run(full, dir);
  }

  private static String run(List<String> command, Path workDir) throws IOException, InterruptedException {
    Path output = Files.createTempFile("graphloop-bench-pg-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("exit code " + process.exitValue() + " from " + command + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
            "stop"));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the benchmark's PostgreSQL server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e.getMessage());
    }
  }
}
