package io.graphloop.cli;

import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code graphloop demo}: runs the seed demonstration ({@code start -> (llm, db) -> END}, {@code --latency-ms} of
 * non-blocking latency per call, 2000 by default) in this JVM and prints the final state as one JSON line, then
 * {@code elapsed_ms <n>}.
 *
 * <p>Runs on the CLI's main thread, which is not a Vert.x thread, so it may wait (always with a bound).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the seed demo: start -> (llm, db) -> END, each call waiting --latency-ms without blocking; "
        + "prints the final state as one JSON line, then elapsed_ms.",
        "Exit status: 0 done, 1 the run failed, 2 bad arguments or configuration."})
final class DemoCommand implements Callable<Integer> {

  private static final long RUN_TIMEOUT_SECONDS = 120;

  @Option(names = "--latency-ms", paramLabel = "N", defaultValue = "2000",
      description = "simulated I/O per call, in ms (default: ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "the configuration file, JSON or YAML (*.yaml, *.yml); default: conf/graphloop.json, .yaml or .yml when one exists")
  Path conf;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GraphRuntimeOptions options;
    try {
      Cli.inRange("--latency-ms", latencyMs, 0, 3_600_000);
      options = CliConfig.runtimeOptions(conf);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      spec.commandLine().usage(err);
      return Cli.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try {
      CompiledGraph graph = SeedGraph.build("seed", latencyMs);
      GraphRuntime runtime = Cli.await(GraphRuntime.deploy(vertx, graph, options), RUN_TIMEOUT_SECONDS,
          "deploy the demo");
      long started = System.nanoTime();
      State result = Cli.await(runtime.client().invoke(SeedGraph.input()), RUN_TIMEOUT_SECONDS, "run the demo");
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      out.println(result);
      out.println("elapsed_ms " + elapsedMs);
      return Cli.OK;
    } catch (RuntimeException e) {
      err.println("demo failed: " + e.getMessage());
      return Cli.FAILED;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
