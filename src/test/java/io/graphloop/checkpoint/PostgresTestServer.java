package io.graphloop.checkpoint;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the store tests: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start} on a free port of 127.0.0.1 (trust authentication, fsync off: a test cluster only),
 * and {@code pg_ctl stop} plus removal of the directory at {@link #close()} (or at JVM exit, if a test run is cut
 * short). It does not use or need the distribution's own PostgreSQL service.
 *
 * <p>Binaries: {@code $GRAPHLOOP_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * {@code postgresql} package), else {@code initdb} on the {@code PATH}. When none is found the tests are skipped
 * with a message saying so, unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1} (as in CI), which makes it a failure.
 * Found binaries that fail to start a server always fail the tests, with the server's log.
 *
 * <p>{@code initdb} refuses to run as root, so as root every server command runs as the {@code postgres} user
 * ({@code runuser -u postgres --}, or {@code su postgres}), and the directory is handed to that user.
 *
 * <p>Public for the integration tests of other packages (a PostgreSQL store shared by cluster members,
 * {@code CoordinatorFailoverIT}).
 *
 * <p>Not thread-safe: start and stop it from the JUnit thread ({@code @BeforeAll}/{@code @AfterAll}).
 */
public final class PostgresTestServer implements AutoCloseable {

  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_POSTGRES";
  static final String BIN_ENV = "GRAPHLOOP_PG_BIN";
  static final String DATABASE = "graphloop_test";
  private static final String SUPERUSER = "postgres";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final Thread stopAtExit;
  private boolean stopped;

  private PostgresTestServer(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.stopAtExit = new Thread(this::stopQuietly, "stop-test-postgres");
  }

  /** Starts a server, or skips the calling tests (fails them when {@code GRAPHLOOP_REQUIRE_POSTGRES=1}). */
  public static PostgresTestServer startOrSkip() {
    Path bin = findBinaries();
    if (bin == null) {
      String message = "PostgreSQL server binaries (initdb, pg_ctl) were not found in $" + BIN_ENV
          + ", /usr/lib/postgresql/*/bin or on the PATH, so the PostgreSQL checkpoint store tests cannot run; "
          + "install them with 'apt-get install postgresql' (.ci/run does).";
      if ("1".equals(System.getenv(REQUIRE_ENV))) {
        Assertions.fail(message + " " + REQUIRE_ENV + "=1 requires these tests to run.");
      }
      System.err.println("[postgres] SKIPPED: " + message);
      Assumptions.abort(message);
    }
    try {
      return start(bin);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start a test PostgreSQL server with " + bin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting a test PostgreSQL server", e);
    }
  }

  /** Options of a store connecting to this server's test database. */
  public PostgresStoreOptions storeOptions() {
    return new PostgresStoreOptions().setHost("127.0.0.1").setPort(port).setDatabase(DATABASE).setUser(SUPERUSER)
        .setPoolSize(4);
  }

  public int port() {
    return port;
  }

  static Path findBinaries() {
    String configured = System.getenv(BIN_ENV);
    if (configured != null && !configured.isBlank()) {
      Path bin = Path.of(configured);
      return Files.isExecutable(bin.resolve("initdb")) ? bin : null;
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparingInt(PostgresTestServer::majorVersion)).orElse(null);
        if (newest != null) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to the PATH
      }
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb")) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
        return Path.of(entry);
      }
    }
    return null;
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PostgresTestServer start(Path bin) throws IOException, InterruptedException {
    boolean root = "0".equals(run(List.of("id", "-u"), Path.of("/"), 10).trim());
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "graphloop-pg-");
    if (root) {
      run(List.of("chown", "-R", SUPERUSER + ":", dir.toString()), dir, 10);
    }
    PostgresTestServer server = new PostgresTestServer(bin, dir, freePort(), root);
    Runtime.getRuntime().addShutdownHook(server.stopAtExit);
    try {
      server.serverCommand(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", SUPERUSER,
          "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), 180);
      server.serverCommand(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data().toString(),
          "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
          "-o", "-h 127.0.0.1 -p " + server.port + " -k " + dir + " -F -c full_page_writes=off", "start"), 90);
      server.serverCommand(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p",
          String.valueOf(server.port), "-U", SUPERUSER, DATABASE), 60);
    } catch (IOException | RuntimeException e) {
      String log = server.log();
      server.close();
      throw new IOException(e.getMessage() + (log.isEmpty() ? "" : "\nserver log:\n" + log), e);
    }
    return server;
  }

  private Path data() {
    return dir.resolve("data");
  }

  private String log() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Runs a server command, as the postgres user when we are root. */
  private String serverCommand(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))) {
        full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        full.addAll(command);
      } else {
        full.addAll(List.of("su", SUPERUSER, "-s", "/bin/sh", "-c", String.join(" ", command.stream()
            .map(a -> "'" + a.replace("'", "'\\''") + "'").toList())));
      }
    } else {
      full.addAll(command);
    }
    return run(full, dir, timeoutSeconds);
  }

  /** Runs a command to completion; its output goes to a file (never a pipe a daemon could hold open). */
  private static String run(List<String> command, Path workDir, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("graphloop-pg-cmd-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("Timed out after " + timeoutSeconds + " s: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("Exit code " + process.exitValue() + " from " + command + ":\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        serverCommand(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w",
            "stop"), 60);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("Could not stop the test PostgreSQL server in " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("Could not remove " + dir + ": " + e.getMessage() + " " + Arrays.toString(e.getSuppressed()));
    }
  }
}
