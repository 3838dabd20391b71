package io.graphloop.cli;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code graphloop run --graph NAME [--input JSON]}: runs one graph once and prints its final state as one JSON line.
 * With {@code --thread ID} the run is on that thread (it starts from the thread's latest state and saves checkpoints,
 * {@code --durability} says when); {@code --proceed} sends no input and continues the thread from its latest
 * checkpoint instead, e.g. a thread whose run was cut off by a coordinator that died.
 *
 * <ul>
 *   <li>Without {@code --cluster}, in this JVM: the graph (from the CLI's catalog, {@link CliGraphs}) is deployed on a local
 *       Vert.x, run, and undeployed.</li>
 *   <li>With {@code --cluster}, on a running cluster: this JVM joins it as a plain member (a Hazelcast lite member that
 *       hosts no graph and holds no cluster data), sends the run with {@link GraphClient} to whichever coordinator
 *       member serves the graph, prints the result and leaves. The graph needs no local definition; any graph a
 *       coordinator serves can be run.</li>
 * </ul>
 *
 * <p>A thread needs a checkpoint store: on a cluster, the coordinator members' ({@code member --checkpointer}); here,
 * {@code runtime.checkpointer} of the configuration ({@link CliConfig}). A run that stops at an interrupt prints its state, and on stderr
 * what it waits for.
 *
 * <p>While the run goes, stderr shows each node execution as it starts and ends ({@code --progress}, {@link
 * RunProgress}): a plain line per event, or on a terminal the ends as lines under a live status line of the nodes
 * running now; {@code --progress off} shows nothing (and the run is not streamed).
 *
 * <p>Exit status 0 when the run succeeded (or stopped at an interrupt), 1 when it failed (the failure's code and
 * message are printed; 423 {@code THREAD_BUSY} while another run holds the thread, also for a moment after its
 * coordinator died, until the cluster has dropped that member: try again), 2 for bad arguments. Runs on the CLI's
 * main thread, which may wait (always with a bound).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs a graph once and prints its final state as one JSON line: with --cluster on a running cluster "
        + "(this JVM joins it as a plain member), else in this JVM.",
        "Exit status: 0 the run succeeded or stopped at an interrupt, 1 it failed (its code is printed), 2 bad "
            + "arguments or configuration."})
final class RunCommand implements Callable<Integer> {

  private static final long JOIN_TIMEOUT_SECONDS = 120;
  /** A short-lived client: Hazelcast's notices and Vert.x's join-failure trace are noise; this command reports. */
  private static final List<Logger> QUIET = List.of(Logger.getLogger("com.hazelcast"),
      Logger.getLogger("io.vertx.core.impl.VertxImpl"));
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  @Option(names = "--graph", paramLabel = "NAME", description = "the graph to run")
  String graph;

  @Option(names = "--input", paramLabel = "JSON", description = "the run's input, a JSON object")
  String input;

  @Option(names = "--thread", paramLabel = "ID", description = "run on this thread (needs a checkpoint store)")
  String thread;

  @Option(names = "--proceed", description = "continue the thread from its latest checkpoint, without input")
  boolean proceed;

  @Option(names = "--durability", paramLabel = "sync|async|exit", description = "when checkpoints are written")
  String durability;

  @Option(names = "--timeout-ms", paramLabel = "N", defaultValue = "60000", description = "the run's deadline")
  long timeoutMs;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "the configuration file, JSON or YAML (*.yaml, *.yml); default: conf/graphloop.json, .yaml or .yml when one exists")
  Path conf;

  @Option(names = "--cluster", description = "run on a running cluster")
  boolean cluster;

  @Option(names = "--progress", paramLabel = "auto|terminal|plain|off", defaultValue = "auto",
      description = "progress on stderr: each node as it starts and ends (a plain line per event; on a terminal a "
          + "live status line of the nodes running now); default auto: terminal when stderr is one, else plain")
  String progress;

  @Mixin
  ClusterArgs clusterArgs = new ClusterArgs();

  @Spec
  CommandSpec spec;

  /**
   * A run worked out from the command line.
   *
   * @param cluster how to join the cluster, or {@code null} to run in this JVM
   * @param options the run's options: timeout, and thread and durability when given
   * @param proceed whether the run continues its thread without input ({@code --proceed})
   * @param progress how progress is shown ({@code --progress}), AUTO not yet resolved
   */
  record Plan(String graph, Map<String, Object> input, long timeoutMs, GraphRuntimeOptions runtime,
              ClusterOptions cluster, RunOptions options, boolean proceed, RunProgress.Mode progress) {
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan;
    try {
      plan = plan();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      spec.commandLine().usage(err);
      return Cli.USAGE;
    }
    Vertx vertx;
    try {
      if (plan.cluster() != null) {
        QUIET.forEach(logger -> logger.setLevel(Level.OFF));
      }
      vertx = plan.cluster() == null ? Vertx.vertx()
          : Cli.await(ClusteredVertx.start(plan.cluster()), JOIN_TIMEOUT_SECONDS, "join the cluster");
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Cli.USAGE;
    } catch (RuntimeException e) {
      err.println(joinFailure(plan.cluster(), e));
      return Cli.FAILED;
    }
    try {
      GraphClient client;
      if (plan.cluster() == null) {
        CompiledGraph graph = CliGraphs.catalog().graph(plan.graph());
        client = Cli.await(GraphRuntime.deploy(vertx, graph, plan.runtime()), 60,
            "deploy graph '" + graph.name() + "'").client();
      } else {
        client = GraphClient.create(vertx, plan.graph());
      }
      RunProgress progress = new RunProgress(err, plan.progress().resolve(Cli.stderrIsTerminal()), System::nanoTime);
      String what = "run graph '" + plan.graph() + "'";
      RunResult result = progress.enabled()
          ? StreamedRun.await(vertx, client, plan.input(), plan.proceed(), plan.options(), plan.timeoutMs(),
              waitSeconds(plan.timeoutMs()), what, progress)
          : Cli.await(plan.proceed() ? client.proceed(plan.options()) : client.run(plan.input(), plan.options()),
              waitSeconds(plan.timeoutMs()), what);
      out.println(result.values().toJson().encode());
      if (result.isInterrupted() && result.threadId() != null) {
        err.println("run interrupted on thread " + result.threadId() + ", waiting for " + result.interrupts()
            + "; continue it with --thread " + result.threadId() + " --proceed.");
      } else if (result.isInterrupted()) {
        err.println("run interrupted, waiting for " + result.interrupts() + "; it ran without a thread, so nothing "
            + "keeps it to continue: run it with --thread ID (and a checkpoint store, see --thread) to answer it.");
      }
      return Cli.OK;
    } catch (GraphloopException e) {
      err.println("run failed (" + e.code().code() + " " + e.code() + "): " + e.getMessage());
      return Cli.FAILED;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Cli.USAGE;
    } catch (RuntimeException e) {
      err.println("run failed: " + e.getMessage());
      return Cli.FAILED;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        err.println("could not close Vert.x within " + CLOSE_TIMEOUT_SECONDS + " s: " + e);
      }
    }
  }

  /**
   * Works out the run from {@code args}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Plan plan(String[] args) {
    return Cli.parse(new RunCommand(), args).plan();
  }

  private Plan plan() {
    if (graph == null) {
      throw new IllegalArgumentException("run needs --graph NAME: the graph to run, e.g. --graph seed.");
    }
    Map<String, Object> values = input(input);
    Cli.inRange("--timeout-ms", timeoutMs, 1, Long.MAX_VALUE);
    RunOptions options = threadOptions().setTimeoutMs(timeoutMs);
    if (!cluster && clusterArgs.any()) {
      throw new IllegalArgumentException("Options --cluster-config, --cluster-members, --cluster-port, --host, --bus-tls say how "
          + "to join a cluster; add --cluster to run the graph on one, or leave them out to run it here.");
    }
    if (cluster && conf != null) {
      throw new IllegalArgumentException("--conf sets the runtime options of a graph deployed here; with --cluster the "
          + "graph runs on the cluster's members, which take their own --conf.");
    }
    GraphRuntimeOptions runtime = cluster ? new GraphRuntimeOptions() : CliConfig.runtimeOptions(conf);
    if (options.getThreadId() != null && !cluster && runtime.getCheckpointer() == null) {
      throw new IllegalArgumentException("--thread needs a checkpoint store to keep the thread: add --cluster to run "
          + "on the cluster's coordinators (their --checkpointer), or configure runtime.checkpointer (--conf FILE, "
          + "GRAPHLOOP_RUNTIME_CHECKPOINTER) to run here.");
    }
    return new Plan(graph, values, timeoutMs, runtime, cluster ? clusterArgs.options().setLiteMember(true) : null,
        options, proceed, RunProgress.Mode.of(progress));
  }

  /** The thread options: {@code --thread}, {@code --durability} (only with a thread), {@code --proceed}. */
  private RunOptions threadOptions() {
    RunOptions options = new RunOptions();
    if (thread == null) {
      if (proceed || durability != null) {
        throw new IllegalArgumentException((proceed ? "--proceed" : "--durability") + " applies to a run on a thread; "
            + "add --thread ID.");
      }
      return options;
    }
    if (thread.isBlank()) {
      throw new IllegalArgumentException("--thread takes a thread id that is not blank.");
    }
    if (proceed && input != null) {
      throw new IllegalArgumentException("--proceed continues thread '" + thread + "' from its latest checkpoint "
          + "without input; leave out --input (or leave out --proceed to start a run with it).");
    }
    options.setThreadId(thread);
    if (durability != null) {
      try {
        options.setDurability(Durability.of(durability));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--durability takes sync (each step's checkpoint stored before the next "
            + "step), async (the default) or exit (only at the end); was '" + durability + "'.", e);
      }
    }
    return options;
  }

  /**
   * How long this command waits for the run's answer: its deadline plus the client's grace and 2 s, in whole seconds,
   * saturated: {@code --timeout-ms 9223372036854775807} (Long.MAX_VALUE, the usual "no deadline") waits without a
   * practical bound instead of wrapping into a negative wait that gives up at once.
   */
  static long waitSeconds(long timeoutMs) {
    long ms = timeoutMs + GraphClient.REPLY_GRACE_MS;
    if (ms < timeoutMs) {
      return Long.MAX_VALUE / 1000;
    }
    return ms / 1000 + 2;
  }

  private static String joinFailure(ClusterOptions cluster, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("lite members")) { // Hazelcast: no data member, so no cluster to join
      return "run found no cluster: no member answered at the addresses of " + cluster.getClusterConfig()
          + (cluster.getMembers() == null ? "" : " and --cluster-members " + String.join(",", cluster.getMembers()))
          + ". Start a member first (java -jar graphloop.jar member --graphs ...), or point --cluster-config or "
          + "--cluster-members at the cluster.";
    }
    return "run could not join the cluster: " + message;
  }

  private static Map<String, Object> input(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return new JsonObject(text).getMap();
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("--input takes a JSON object, e.g. --input '{\"query\":\"hi\"}'; was '"
          + text + "' (" + e.getMessage() + ").");
    }
  }
}
