package io.graphloop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code graphloop cds}: records the JVM class-data-sharing archive (AppCDS, {@code -XX:ArchiveClassesAtExit}) of a
 * member's start-up, so that later members and {@code run --cluster} of the same jar on the same JDK map those classes
 * instead of loading, verifying and initialising them from the jar: a member's start-up CPU halves (see the README's
 * "Start-up time"). It starts one member alone in a child JVM, as {@code member --graphs G} with this jar, bound to
 * 127.0.0.1 on a free port and joining nobody ({@code --cluster-members} is itself), waits for its ready line, stops it
 * with SIGTERM (the JVM writes the archive as it exits) and checks that the archive was written. The launcher
 * {@code bin/graphloop} uses the archive beside the jar ({@code target/graphloop.jsa}) when it is newer than the jar.
 *
 * <p>An archive belongs to one jar file (path, size and time) and one JDK: rebuild it after each build. A JVM given a
 * stale archive runs without it, with a warning.
 *
 * <p>Runs on the CLI's main thread, which may block (bounded by {@code --timeout}); the child's stdout is read by a
 * daemon thread. The child is the only process it starts or stops.
 */
@Command(name = "cds", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Records the class-data-sharing archive of a member's start-up (a child JVM started alone on "
        + "127.0.0.1, then stopped), for faster starts of members and run --cluster with this jar: "
        + "java -XX:SharedArchiveFile=ARCHIVE -jar graphloop.jar ... (bin/graphloop adds it).",
        "Exit status: 0 written, 1 the child failed or no archive was written, 2 bad arguments."})
final class CdsCommand implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--archive", paramLabel = "FILE",
      description = "where to write the archive (default: beside the jar, graphloop.jsa for graphloop.jar)")
  Path archive;

  @Option(names = "--graphs", paramLabel = "G1[,G2]",
      description = "the graphs the recorded member deploys (default: seed); name yours to record their classes too")
  String graphs = "seed";

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "the recorded member's cluster configuration (default: conf/cluster.xml)")
  String clusterConfig;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "how long the recorded member may take to start, and then to stop (default 300)")
  long timeoutSeconds = 300;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path jar = jar();
    if (jar == null) {
      err.println("cds records the classes of Graphloop's jar: run it as java -jar target/graphloop.jar cds");
      return Cli.USAGE;
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      err.println("--timeout must be between 1 and 3600 seconds, was " + timeoutSeconds);
      return Cli.USAGE;
    }
    Path target = archive != null ? archive : jar.resolveSibling(jar.getFileName().toString()
        .replaceFirst("\\.jar$", "") + ".jsa");
    long started = System.nanoTime();
    try {
      Files.deleteIfExists(target); // the JVM writes it read-only, and would not replace it
      if (target.toAbsolutePath().getParent() != null) {
        Files.createDirectories(target.toAbsolutePath().getParent());
      }
      String failure = record(jar, target, err);
      if (failure != null) {
        err.println("cds: " + failure);
        return Cli.FAILED;
      }
    } catch (IOException e) {
      err.println("cds: " + e.getMessage());
      return Cli.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cli.FAILED;
    }
    if (!Files.isRegularFile(target)) {
      err.println("cds: the recorded member stopped but wrote no archive at " + target);
      return Cli.FAILED;
    }
    long bytes;
    try {
      bytes = Files.size(target);
    } catch (IOException e) {
      bytes = -1;
    }
    out.println(String.format(Locale.ROOT, "cds: wrote %s (%.1f MB) in %.1f s; start with java "
            + "-XX:SharedArchiveFile=%s -jar %s ... (bin/graphloop does)", target, bytes / 1048576.0,
        (System.nanoTime() - started) / 1e9, target, jar));
    return Cli.OK;
  }

  /** Runs the recorded member; {@code null} when it started and stopped cleanly, else what went wrong. */
  private String record(Path jar, Path target, PrintWriter err) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-XX:ArchiveClassesAtExit=" + target, "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar",
        jar.toString(), "member", "--graphs", graphs, "--host", "127.0.0.1", "--cluster-port",
        String.valueOf(port), "--cluster-members", "127.0.0.1:" + port));
    if (clusterConfig != null) {
      command.addAll(List.of("--cluster-config", clusterConfig));
    }
    Path log = Files.createTempFile("graphloop-cds", ".log");
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      CompletableFuture<Boolean> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> readUntilReady(child, ready), "graphloop-cds-stdout");
      reader.setDaemon(true);
      reader.start();
      boolean isReady;
      try {
        isReady = ready.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        isReady = false;
      }
      if (!isReady) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
        return "the recorded member did not start within " + timeoutSeconds + " s (exit "
            + (child.isAlive() ? "none" : String.valueOf(child.exitValue())) + "): " + tail(log);
      }
      child.destroy(); // SIGTERM: the member drains and leaves; the JVM writes the archive as it exits
      if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        return "the recorded member did not stop within " + timeoutSeconds + " s";
      }
      return child.exitValue() == 0 ? null : "the recorded member exited " + child.exitValue() + ": " + tail(log);
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
      Files.deleteIfExists(log);
    }
  }

  /** Completes {@code ready} with true at the child's {@code member ready} line, false when its stdout ends first. */
  private static void readUntilReady(Process child, CompletableFuture<Boolean> ready) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("member ready")) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // the child ended; fall through
    }
    ready.complete(false);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The jar this class was loaded from, or {@code null} when it was not loaded from a jar (e.g. classes/). */
  static Path jar() {
    try {
      java.security.CodeSource source = CdsCommand.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) && path.toString().endsWith(".jar") ? path : null;
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}
