package io.graphloop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * h2load (nghttp2's HTTP load generator, Debian {@code nghttp2-client}) as the streams rows' lean client: a native
 * program on one thread (libev, no JIT, no GC), so a row driven by it measures the server, where a row driven by
 * {@link ServerBench}'s Java client (Vert.x's HTTP client in the bench's JVM) shares the machine's 2 cores with a
 * client that costs nearly as much CPU per stream as a bare Vert.x server. It speaks h2c (HTTP/2 with prior
 * knowledge) and HTTP/1.1, POSTs a body, and runs {@code -n} requests over {@code -c} connections with {@code -m}
 * streams each in flight.
 *
 * <p>What h2load checks and what it does not: it counts each request's status (2xx, 4xx, ...) and failures (a
 * stream reset, a connection closed mid-response, a timeout) and the response bodies' bytes ({@code data}: HTTP/2
 * DATA payloads, HTTP/1.1's body after de-chunking), but does not parse a body. {@link ServerBench} therefore
 * compares the bytes with {@code streams} complete streams of the same request, one of which it reads and parses
 * itself ({@code sample}), and counts a row failed unless every request succeeded with a 2xx.
 *
 * <p>Thread rules: {@link #run} blocks the calling thread (the bench's main thread) until h2load ends or its bound
 * passes (then h2load is destroyed); not for an event loop.
 */
final class H2load {

  private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(us|ms|s),");
  private static final Pattern REQUESTS = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, "
      + "(\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
  private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
  private static final Pattern DATA = Pattern.compile("\\((\\d+)\\) data");
  /** The children's user and system time as the shell's {@code times} prints them (second line). */
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");

  private H2load() {
  }

  /**
   * What one h2load run gave: its wall ({@code finished in}), the requests that succeeded and failed (failed,
   * errored or timed out), the responses by status class, the body bytes, and its own CPU time (user + system).
   */
  record Result(double wallSeconds, long requests, long succeeded, long failed, long status2xx, long statusOther,
                long dataBytes, double cpuSeconds) {
  }

  /** {@code h2load}'s version line when {@code executable} runs, else {@code null} (not installed). */
  static String version(String executable) {
    try {
      Process process = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 && out.startsWith("h2load") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Runs {@code streams} {@code POST}s of {@code body} to {@code url} at once: over HTTP/1.1 one connection per
   * stream ({@code -c streams -m 1}), over h2c {@code ceil(streams / perConnection)} connections of up to
   * {@code perConnection} streams each. One h2load thread. Fails (IllegalStateException, with h2load's output) when
   * h2load does not end within {@code boundSeconds} or prints no summary.
   */
  static Result run(String executable, String url, Path body, int streams, boolean h2, int perConnection,
                    long boundSeconds) throws IOException, InterruptedException {
    int connections = h2 ? (streams + perConnection - 1) / perConnection : streams;
    List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\"; rc=$?; times; exit $rc", "sh", executable,
        "-n", Integer.toString(streams), "-c", Integer.toString(connections), "-m",
        Integer.toString(h2 ? perConnection : 1), "-t", "1", "-d", body.toString(),
        "-H", "Content-Type: application/json"));
    if (!h2) {
      command.add("--h1");
    }
    command.add(url);
    Path log = Files.createTempFile("h2load", ".txt");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(boundSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("h2load did not finish " + streams + " streams within " + boundSeconds
            + " s");
      }
      String output = Files.readString(log);
      Result result = parse(output);
      if (result == null) {
        throw new IllegalStateException("h2load printed no summary (exit " + process.exitValue() + "):\n" + output);
      }
      return result;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** h2load's summary in {@code output} (its standard output, then the shell's {@code times}), or {@code null}. */
  static Result parse(String output) {
    Matcher finished = FINISHED.matcher(output);
    Matcher requests = REQUESTS.matcher(output);
    Matcher status = STATUS.matcher(output);
    Matcher data = DATA.matcher(output);
    if (!finished.find() || !requests.find() || !status.find() || !data.find()) {
      return null;
    }
    double wall = Double.parseDouble(finished.group(1)) / switch (finished.group(2)) {
      case "us" -> 1e6;
      case "ms" -> 1e3;
      default -> 1;
    };
    double cpu = -1;
    Matcher times = TIMES.matcher(output.trim());
    if (times.find()) {
      cpu = Long.parseLong(times.group(1)) * 60 + Double.parseDouble(times.group(2))
          + Long.parseLong(times.group(3)) * 60 + Double.parseDouble(times.group(4));
    }
    long failed = Long.parseLong(requests.group(5)) + Long.parseLong(requests.group(6))
        + Long.parseLong(requests.group(7));
    long other = Long.parseLong(status.group(2)) + Long.parseLong(status.group(3)) + Long.parseLong(status.group(4));
    return new Result(wall, Long.parseLong(requests.group(1)), Long.parseLong(requests.group(4)), failed,
        Long.parseLong(status.group(1)), other, Long.parseLong(data.group(1)), cpu);
  }
}
