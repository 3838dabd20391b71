package io.graphloop.cli;

import io.graphloop.server.ServeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code graphloop serve}: the command line's face of {@link ServeCommand} (which stays free of picocli, an optional
 * dependency of the command line only). Options are declared here so that {@code serve --help} lists them, and are
 * handed to {@link ServeCommand#run} unchanged.
 *
 * <p>Runs on the CLI's main thread; blocks until the server is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serves graphs over HTTP with LangGraph Server's API (LangGraph's SDKs work unchanged); prints "
        + "'server ready http://HOST:PORT graphs=...' and runs until stopped.",
        "Exit status: 0 stopped, 1 the server could not start, 2 bad arguments or configuration."})
final class ServeCliCommand implements Callable<Integer> {

  @Option(names = "--graphs", paramLabel = "G1,G2", description = "the graphs to serve (default: all)")
  String graphs;

  @Option(names = "--port", paramLabel = "PORT", description = "the port (default 2024; 0 picks a free one)")
  String port;

  @Option(names = "--host", paramLabel = "HOST", description = "the address to listen on (default 127.0.0.1)")
  String host;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "JSON configuration: 'runtime' (graph runtime options), 'server' (server options), 'ops' "
          + "(metrics, port, drainTimeoutMs, readinessTimeoutMs)")
  String conf;

  @Option(names = "--allow-unauthenticated", description = "listen on a host other than 127.0.0.1 with no API key "
      + "or JWT configured (anyone who reaches it may run your graphs); refused without this flag")
  boolean allowUnauthenticated;

  @Option(names = "--max-body-bytes", paramLabel = "N",
      description = "the largest request body (default 4 MiB; larger: 413)")
  String maxBodyBytes;

  @Option(names = "--max-streams", paramLabel = "N",
      description = "the most event streams open at once (default 20000; more: 503 with Retry-After)")
  String maxStreams;

  @Option(names = "--accept-backlog", paramLabel = "N",
      description = "connections the kernel holds before the server accepts them (default -1: the system's maximum)")
  String acceptBacklog;

  @Option(names = "--http-instances", paramLabel = "N",
      description = "HTTP servers sharing the port, each on an event loop (default 0: one per event loop)")
  String httpInstances;

  @Option(names = "--http2-max-streams", paramLabel = "N",
      description = "the streams one HTTP/2 connection may have open at once (default 100)")
  String http2MaxStreams;

  @Option(names = "--drain-timeout", paramLabel = "MS",
      description = "on SIGTERM, how long runs in flight may take to finish before the server stops (default 30000)")
  String drainTimeout;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    add(args, "--graphs", graphs);
    add(args, "--port", port);
    add(args, "--host", host);
    add(args, "--conf", conf);
    add(args, "--max-body-bytes", maxBodyBytes);
    add(args, "--max-streams", maxStreams);
    add(args, "--accept-backlog", acceptBacklog);
    add(args, "--http-instances", httpInstances);
    add(args, "--http2-max-streams", http2MaxStreams);
    if (allowUnauthenticated) {
      args.add("--allow-unauthenticated");
    }
    add(args, "--drain-timeout", drainTimeout);
    PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
    return ServeCommand.run(args.toArray(String[]::new), CliGraphs.catalog(), out, err);
  }

  private static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option);
      args.add(value);
    }
  }

  /** Bytes written to a PrintStream, passed on (as UTF-8) to picocli's writer. */
  private static final class WriterStream extends java.io.OutputStream {
    private final java.io.PrintWriter writer;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(java.io.PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      writer.write(line.toString(StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
