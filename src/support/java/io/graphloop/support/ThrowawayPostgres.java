package io.graphloop.support;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the machine's PostgreSQL binaries, for the store tests and the benchmark:
 * {@code initdb} into a temporary directory, {@code pg_ctl start} on a free port of 127.0.0.1 (trust authentication),
 * one database; {@link #close()} (or the JVM's exit, if a run is cut short) stops it and removes the directory. It
 * does not use or need the distribution's own PostgreSQL service.
 *
 * <p>Binaries: {@code $GRAPHLOOP_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * {@code postgresql} package), else {@code initdb} and {@code pg_ctl} on the {@code PATH}.
 *
 * <p>{@code initdb} refuses to run as root, so as root every server command runs as the {@code postgres} user
 * ({@code runuser -u postgres --}, or {@code su postgres}), and the directory is handed to that user.
 *
 * <p>Source root {@code src/support/java}: compiled with the tests, and into the benchmark jar by the {@code bench}
 * profile. Not thread-safe: start and stop it from one thread.
 */
public final class ThrowawayPostgres implements AutoCloseable {

  /** Where to look for the binaries first. */
  public static final String BIN_ENV = "GRAPHLOOP_PG_BIN";
  /** The superuser, who owns the database; connections need no password (trust). */
  public static final String SUPERUSER = "postgres";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String database;
  private final boolean durable;
  private final boolean asPostgresUser;
  private final Thread stopAtExit;
  private boolean stopped;

  private ThrowawayPostgres(Path bin, Path dir, int port, String database, boolean durable, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.database = database;
    this.durable = durable;
    this.asPostgresUser = asPostgresUser;
    this.stopAtExit = new Thread(this::stopQuietly, "stop-throwaway-postgres");
  }

  /** Where the binaries are, or {@code null} when there are none. */
  public static Path findBinaries() {
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
            .max(Comparator.comparingInt(ThrowawayPostgres::majorVersion)).orElse(null);
        if (newest != null) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to the PATH
      }
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))
          && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
        return Path.of(entry);
      }
    }
    return null;
  }

  /**
   * Starts a server with the binaries in {@code bin} and creates {@code database}.
   *
   * @param durable PostgreSQL's durable defaults ({@code fsync}, full page writes), so that a commit costs what it
   *                costs in production on this disk (the benchmark); otherwise neither (a test cluster only)
   * @throws IOException when a server command fails, with the server's log
   */
  public static ThrowawayPostgres start(Path bin, String database, boolean durable)
      throws IOException, InterruptedException {
    return start(bin, database, durable, Map.of());
  }

  /**
   * Starts a server as {@link #start(Path, String, boolean)} does, with server settings ({@code postgres -c
   * name=value}) on top of PostgreSQL's defaults, e.g. {@code shared_buffers} and {@code max_wal_size} for the
   * benchmark's production-like server ({@code README}, "PostgreSQL"). With {@code durable} the settings may not turn
   * durability off: {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are refused.
   *
   * @param settings names ({@code [a-z_]+}) to values (letters, digits, {@code .} and {@code _}); an empty map gives
   *                 the defaults
   * @throws IllegalArgumentException for a name or value outside those characters, or a durability setting with
   *                                  {@code durable}
   */
  public static ThrowawayPostgres start(Path bin, String database, boolean durable, Map<String, String> settings)
      throws IOException, InterruptedException {
    String serverSettings = settingsArguments(settings, durable);
    boolean root = "0".equals(run(List.of("id", "-u"), Path.of("/"), 10).trim());
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "graphloop-pg-");
    if (root) {
      run(List.of("chown", "-R", SUPERUSER + ":", dir.toString()), dir, 10);
    }
    ThrowawayPostgres server = new ThrowawayPostgres(bin, dir, freePort(), database, durable, root);
    Runtime.getRuntime().addShutdownHook(server.stopAtExit);
    try {
      List<String> initdb = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(),
          "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C"));
      if (!durable) {
        initdb.add("--no-sync");
      }
      server.serverCommand(initdb, 180);
      server.serverCommand(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data().toString(),
          "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
          "-o", "-h 127.0.0.1 -p " + server.port + " -k " + dir + (durable ? "" : " -F -c full_page_writes=off")
              + serverSettings,
          "start"), 90);
      server.serverCommand(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p",
          String.valueOf(server.port), "-U", SUPERUSER, database), 60);
    } catch (IOException | RuntimeException e) {
      String log = server.log();
      server.close();
      throw new IOException(e.getMessage() + (log.isEmpty() ? "" : "\nserver log:\n" + log), e);
    }
    return server;
  }

  /** The settings as {@code postgres} options ({@code " -c name=value"} each, in the map's order). */
  static String settingsArguments(Map<String, String> settings, boolean durable) {
    StringBuilder arguments = new StringBuilder();
    settings.forEach((name, value) -> {
      if (name == null || !name.matches("[a-z_]+")) {
        throw new IllegalArgumentException("PostgreSQL setting name '" + name + "': expected lower-case letters and "
            + "'_' (e.g. shared_buffers)");
      }
      if (value == null || !value.matches("[A-Za-z0-9._]+")) {
        throw new IllegalArgumentException("PostgreSQL setting " + name + "='" + value + "': expected letters, "
            + "digits, '.' and '_' (e.g. 4GB, 15min)");
      }
      if (durable && DURABILITY_SETTINGS.contains(name)) {
        throw new IllegalArgumentException("PostgreSQL setting " + name + " may not be set on a durable server ("
            + DURABILITY_SETTINGS + " stay at their defaults, on)");
      }
      arguments.append(" -c ").append(name).append('=').append(value);
    });
    return arguments.toString();
  }

  /** What a durable server keeps at PostgreSQL's defaults (all on). */
  private static final java.util.Set<String> DURABILITY_SETTINGS =
      java.util.Set.of("fsync", "synchronous_commit", "full_page_writes");

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  /** The server's version line, e.g. for a report. */
  public String version() {
    try {
      return run(List.of(bin.resolve("postgres").toString(), "--version"), dir, 10).trim();
    } catch (IOException | InterruptedException e) {
      return "PostgreSQL (version unknown)";
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The CPU time (user and system) the server's processes have used so far, in nanoseconds: the postmaster's own and
   * that of its children, live ones from {@code /proc/<pid>/stat} and ended ones from the postmaster's counts of its
   * waited-for children; -1 where there is no {@code /proc} (not Linux). Reads only this server's processes.
   */
  public long serverCpuNanos() {
    try {
      long postmaster = Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
      long ticks = 0;
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.toList()) {
          String name = proc.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          String[] stat;
          try {
            String text = Files.readString(proc.resolve("stat"));
            // after the command's closing parenthesis: state, ppid, ... (fields 3.. of proc(5))
            stat = text.substring(text.lastIndexOf(')') + 2).split(" ");
          } catch (IOException ended) {
            continue;
          }
          long pid = Long.parseLong(name);
          long ppid = Long.parseLong(stat[1]);
          if (pid == postmaster) {
            ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13])
                + Long.parseLong(stat[14]);
          } else if (ppid == postmaster) {
            ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
          }
        }
      }
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
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
        // a test cluster is thrown away as it is; a durable one is shut down cleanly
        serverCommand(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m",
            durable ? "fast" : "immediate", "-w", "stop"), 60);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("Could not stop the PostgreSQL server in " + dir + ": " + e.getMessage());
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
