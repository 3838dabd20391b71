package io.graphloop.cli;

import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code graphloop} command: {@code java -jar graphloop.jar <command>}.
 *
 * <ul>
 *   <li>{@code demo}: runs the seed demonstration ({@code start -> (llm, db) -> END}, 2 s of non-blocking
 *       latency per call) and prints the final state as one JSON line, then {@code elapsed_ms <n>}.</li>
 *   <li>{@code member}: starts a member of a cluster (coordinator, worker or both) for named graphs
 *       ({@link MemberCommand}).</li>
 *   <li>{@code run}: runs a named graph once, here or on a cluster, and prints its final state
 *       ({@link RunCommand}).</li>
 * </ul>
 *
 * <p>Runs on the main thread, which is not a Vert.x thread, so it may wait for results.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.exit(status);
  }

  /** Runs the command in {@code args}; returns the process exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "demo":
        return demo(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "member":
        return MemberCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "run":
        return RunCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "serve":
        return io.graphloop.server.ServeCommand.run(Arrays.copyOfRange(args, 1, args.length), CliGraphs.catalog(), out, err);
      case "help":
      case "--help":
      case "-h":
        usage(out);
        return 0;
      default:
        err.println("Unknown command '" + command + "'.");
        usage(err);
        return 2;
    }
  }

  private static void usage(PrintStream out) {
    out.println("Usage: java -jar graphloop.jar <command>");
    out.println("Commands:");
    out.println("  demo [--latency-ms N] [--conf FILE]");
    out.println("                          run the seed demo: start -> (llm, db) -> END, N ms of non-blocking");
    out.println("                          latency per call (default 2000); FILE is JSON like conf/graphloop.json");
    out.println("  " + MemberCommand.USAGE);
    out.println("                          start a cluster member: a coordinator (receives and drives runs), a worker");
    out.println("                          (hosts the graphs' nodes, or only --nodes) or both (the default); prints");
    out.println("                          'member ready ...' and runs until stopped. The cluster is conf/cluster.xml");
    out.println("  " + RunCommand.USAGE);
    out.println("                          run a graph once and print its final state; with --cluster, on a running");
    out.println("                          cluster (this JVM joins it as a plain member), else in this JVM");
    out.println("                          graphs: " + String.join(", ", CliGraphs.catalog().names()));
    out.println("  " + io.graphloop.server.ServeCommand.USAGE);
    out.println("                          serve graphs over HTTP with LangGraph Server's API (LangGraph's SDKs work");
    out.println("                          unchanged); all graphs by default, in-memory threads unless --conf says");
    out.println("  help                    show this help");
  }

  private static int demo(String[] args, PrintStream out, PrintStream err) {
    long latencyMs = 2000;
    GraphRuntimeOptions options = new GraphRuntimeOptions();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--latency-ms") && i + 1 < args.length) {
        try {
          latencyMs = Long.parseLong(args[++i]);
        } catch (NumberFormatException e) {
          err.println("--latency-ms takes a whole number of milliseconds, was '" + args[i] + "'.");
          return 2;
        }
      } else if (args[i].equals("--conf") && i + 1 < args.length) {
        try {
          options = ConfigFile.runtimeOptions(Path.of(args[++i]));
        } catch (IllegalArgumentException e) {
          err.println(e.getMessage());
          return 2;
        }
      } else {
        err.println("Unknown option '" + args[i] + "' for demo; it takes --latency-ms N and --conf FILE.");
        return 2;
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      CompiledGraph graph = SeedGraph.build("seed", latencyMs);
      GraphRuntime runtime = GraphRuntime.deploy(vertx, graph, options).toCompletionStage().toCompletableFuture()
          .join();
      long started = System.nanoTime();
      State result = runtime.client().invokeAndWait(SeedGraph.input());
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      out.println(result);
      out.println("elapsed_ms " + elapsedMs);
      return 0;
    } catch (RuntimeException e) {
      err.println("demo failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
