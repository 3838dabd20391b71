package io.graphloop.server;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code serve}'s command-line options, declared once: {@code graphloop serve} mixes them in (its {@code --help}
 * lists them) and {@link ServeCommand#plan(String[], io.graphloop.cluster.GraphCatalog)} parses them with the same
 * declaration. Each is {@code null} (or {@code false}) when not given: the configuration file's value, else the
 * default, applies. picocli converts the values, so a value of the wrong type is refused naming the option and the
 * value; the options' own rules (ranges) are {@link ServerOptions}' and {@link io.graphloop.ops.OpsOptions}'.
 *
 * <p>picocli is the command line's dependency (optional for the library): the annotations are inert without it, and
 * only parsing ({@link #parse}) needs it. Mutable, filled by picocli once; not thread-safe.
 */
public final class ServeFlags {

  @Option(names = "--graphs", paramLabel = "G1,G2", split = ",",
      description = "the graphs to serve (default: all the catalog's)")
  List<String> graphs;

  @Option(names = "--port", paramLabel = "PORT", description = "the port (default 2024; 0 picks a free one)")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", description = "the address to listen on (default 127.0.0.1)")
  String host;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "JSON or YAML configuration: 'runtime' (graph runtime options), 'server' (server options), "
          + "'store', 'ops' (metrics, port, drainTimeoutMs, readinessTimeoutMs); the options here win over it")
  String conf;

  @Option(names = "--allow-unauthenticated", description = "listen on a host other than 127.0.0.1 with no API key "
      + "or JWT configured (anyone who reaches it may run your graphs); refused without this flag")
  boolean allowUnauthenticated;

  @Option(names = "--max-body-bytes", paramLabel = "N",
      description = "the largest request body (default 4 MiB; larger: 413)")
  Integer maxBodyBytes;

  @Option(names = "--max-streams", paramLabel = "N",
      description = "the most event streams open at once (default 20000; more: 503 with Retry-After)")
  Integer maxStreams;

  @Option(names = "--accept-backlog", paramLabel = "N",
      description = "connections the kernel holds before the server accepts them (default -1: the system's maximum)")
  Integer acceptBacklog;

  @Option(names = "--http-instances", paramLabel = "N",
      description = "HTTP servers sharing the port, each on an event loop (default 0: one per event loop)")
  Integer httpInstances;

  @Option(names = "--http2-max-streams", paramLabel = "N",
      description = "the streams one HTTP/2 connection may have open at once (default 100)")
  Integer http2MaxStreams;

  @Option(names = "--keep-alive-timeout-ms", paramLabel = "MS",
      description = "how long a kept-alive connection may stay idle before the server closes it (default 5000, "
          + "uvicorn's; 0: never)")
  Long keepAliveTimeoutMs;

  @Option(names = "--drain-timeout", paramLabel = "MS",
      description = "on SIGTERM, how long runs in flight may take to finish before the server stops (default 30000)")
  Long drainTimeoutMs;

  /**
   * The flags {@code args} give.
   *
   * @throws IllegalArgumentException saying what is wrong (an unknown option, a missing or malformed value), with
   *                                  the options {@code serve} takes
   */
  static ServeFlags parse(String[] args) {
    ServeFlags flags = new ServeFlags();
    CommandLine line = commandLine(flags);
    try {
      line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage() + (e instanceof CommandLine.UnmatchedArgumentException
          ? " serve takes " + String.join(", ", names()) + "." : ""), e);
    }
    return flags;
  }

  /** {@code serve}'s usage, generated from the declaration. */
  static String usage() {
    return commandLine(new ServeFlags()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** Every option's name, in declaration order. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    CommandSpec.forAnnotatedObject(new ServeFlags()).options().forEach(option -> names.add(option.longestName()));
    return names;
  }

  private static CommandLine commandLine(ServeFlags flags) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(flags).name("java -jar graphloop.jar serve");
    spec.usageMessage().sortOptions(false);
    return new CommandLine(spec);
  }
}
