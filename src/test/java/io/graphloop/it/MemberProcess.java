package io.graphloop.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One cluster member in a child JVM, started from the fat jar as a user would
 * ({@code java -jar target/graphloop.jar member ...}), on 127.0.0.1 only. Its stdout is read line by line (for the
 * {@code member ready} line); its stderr goes to {@code target/cluster-it/<name>.log}.
 *
 * <p>Every child is also registered for a JVM shutdown hook that kills it, so no member outlives the test JVM, even
 * when the test run is interrupted. Used from the JUnit thread; the stdout reader is a daemon thread.
 */
final class MemberProcess {

  private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly),
        "cluster-it-kill-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> lines = new ArrayList<>(); // guarded by itself

  private MemberProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::readStdout, "cluster-it-stdout-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -jar <jar> member <args>} as the member named {@code name} (for its log file). */
  static MemberProcess start(String name, List<String> memberArgs) throws IOException {
    return start(name, memberArgs, Map.of());
  }

  /** Like {@link #start(String, List)}, with {@code environment} added to the child's environment. */
  static MemberProcess start(String name, List<String> memberArgs, Map<String, String> environment)
      throws IOException {
    return command(name, "member", memberArgs, environment);
  }

  /** Starts {@code java -jar <jar> <command> <args>} (e.g. {@code serve}), named {@code name} for its log file. */
  static MemberProcess command(String name, String command, List<String> args, Map<String, String> environment)
      throws IOException {
    List<String> memberArgs = args;
    Path logs = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-jar", DemoJarIT.jar().toString(), command));
    line.addAll(memberArgs);
    ProcessBuilder builder = new ProcessBuilder(line).redirectError(log.toFile())
        .directory(Path.of(System.getProperty("basedir", ".")).toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    ALL.add(process);
    return new MemberProcess(name, process, log);
  }

  /**
   * Starts {@code bin/graphloop member <args>} (the launcher, with this build's jar as {@code GRAPHLOOP_JAR} and this
   * JDK's java), with {@code environment} added, as the member named {@code name}.
   */
  static MemberProcess launched(String name, List<String> memberArgs, Map<String, String> environment)
      throws IOException {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path logs = base.resolve("target/cluster-it");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    List<String> line = new ArrayList<>(List.of(base.resolve("bin/graphloop").toString(), "member"));
    line.addAll(memberArgs);
    ProcessBuilder builder = new ProcessBuilder(line).redirectError(log.toFile()).directory(base.toFile());
    builder.environment().put("GRAPHLOOP_JAR", DemoJarIT.jar().toAbsolutePath().toString());
    builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    ALL.add(process);
    return new MemberProcess(name, process, log);
  }

  /** The CPU time the process has used so far (user and system, all its threads). */
  java.time.Duration cpu() {
    return process.info().totalCpuDuration().orElseThrow(() -> new AssertionError("no CPU time for " + name));
  }

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /**
   * Waits at most {@code timeoutMs} for a stdout line starting with {@code prefix} and returns it.
   *
   * @throws AssertionError when none came in time or the process died, with the end of its log
   */
  String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError("Member " + name + " printed no '" + prefix + "' line within " + timeoutMs
              + " ms (alive: " + process.isAlive() + "). stdout: " + lines + "\nend of its log " + log + ":\n"
              + tail());
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String name() {
    return name;
  }

  /** kill -9: {@link Process#destroyForcibly()} sends SIGKILL; waits at most 10 s for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    ALL.remove(process);
  }

  /** SIGTERM (a clean shutdown), then SIGKILL if it has not ended within {@code timeoutMs}. */
  void stop(long timeoutMs) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    ALL.remove(process);
  }

  /**
   * {@code kill -STOP}: the process hangs (every thread stops; its sockets stay open, so the cluster still lists it
   * until its heartbeats are missed) until {@link #resume()}.
   */
  void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** {@code kill -CONT}: a process {@link #suspend() suspended} goes on. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true)
        .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** SIGTERM only: the process shuts down as it sees fit. */
  void terminate() {
    process.destroy();
  }

  /**
   * Waits at most {@code timeoutMs} for the process to end and returns its exit status.
   *
   * @throws AssertionError when it is still running then (it is killed), with the end of its log
   */
  int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError(name + " did not exit within " + timeoutMs + " ms; end of its log " + log + ":\n"
          + tail());
    }
    ALL.remove(process);
    return process.exitValue();
  }

  /** The member's whole log (its stderr) so far. */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** The last lines of the member's log. */
  String tail() {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
