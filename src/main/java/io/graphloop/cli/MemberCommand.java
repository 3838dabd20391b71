package io.graphloop.cli;

import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.cluster.GraphCatalog;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.ops.Operations;
import io.graphloop.ops.OpsOptions;
import io.graphloop.ops.ProcessExit;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code graphloop member}: starts a member of a Graphloop cluster (a clustered Vert.x with the Hazelcast cluster
 * manager, configured by {@code conf/cluster.xml}) and deploys the named graphs in one role:
 *
 * <ul>
 *   <li>{@code coordinator}: receives runs of the graphs and drives them; hosts no node (the nodes run on workers).</li>
 *   <li>{@code worker}: hosts the node verticles of the graphs, all of them or only those named by {@code --nodes}
 *       (e.g. {@code --nodes llm,db} to put the model calls on JVMs of their own); receives no runs.</li>
 *   <li>{@code both} (the default): coordinator and worker in one JVM.</li>
 * </ul>
 *
 * <p>Threads (runs with a thread id) need a checkpoint store on the coordinators: {@code --checkpointer JSON}, or
 * {@code runtime.checkpointer} of the {@code --conf} file ({@code --checkpointer} wins). For coordinators on several
 * members it must be one store they share, PostgreSQL ({@code {"type":"postgres","host":...}}): then a thread whose
 * coordinator died is continued by another one from its last checkpoint. A worker keeps no thread: it refuses
 * {@code --checkpointer} and ignores the file's. A store of one member only (memory, SQLite) on a coordinator is
 * accepted with a warning on stderr (fine for a single coordinator).
 *
 * <p>With {@code --lite-member} the member joins as a Hazelcast lite member: it holds no partition of the cluster's
 * tables (who listens on which event-bus address), so while it hangs (a {@code kill -STOP}, a frozen host) the other
 * members' address lookups do not wait for it; only the requests sent to it go unanswered, and are retried elsewhere.
 * For workers, whose nodes run user code; at least one member of the cluster must hold the data (a member without
 * the flag, started first).
 *
 * <p>Once every graph is deployed it prints one line, {@code member ready role=... graphs=... nodes=... pid=...} (and
 * on stderr where its start-up time went: {@link StartupTimes}), and
 * runs until the process is stopped; on SIGTERM (or Ctrl-C) a shutdown hook drains it ({@code Operations.shutdown}):
 * not ready, new runs refused as draining, the runs in flight finish (up to {@code --drain-timeout}; those still running
 * then fail as cancelled, a run on a thread keeping its last checkpoint), then the graphs are undeployed and the member
 * leaves the cluster. Readiness answers on the bus at {@code graphloop.health.<node id>}, and over HTTP with
 * {@code --ops-port}. A member killed outright (kill -9) is
 * dropped by the others; see the README's "Guarantees".
 *
 * <p>Runs on the CLI's main thread, which is not a Vert.x thread, so it may wait (always with a bound).
 */
@Command(name = "member", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Starts a cluster member for named graphs: a coordinator (receives and drives runs), a worker "
        + "(hosts the graphs' nodes, or only --nodes) or both (the default). Prints 'member ready ...' and runs until "
        + "stopped. The cluster is conf/cluster.xml unless --cluster-config names another.",
        "Exit status: 0 stopped, 1 could not join the cluster or start, 2 bad arguments or configuration."})
final class MemberCommand implements Callable<Integer> {

  private static final long JOIN_TIMEOUT_SECONDS = 120;
  private static final long DEPLOY_TIMEOUT_SECONDS = 60;
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  @Option(names = "--graphs", paramLabel = "G1[,G2]", description = "the graphs this member coordinates or hosts")
  String graphs;

  @Option(names = "--role", paramLabel = "coordinator|worker|both", description = "this member's role (default: both)")
  String role;

  @Option(names = "--nodes", paramLabel = "N1,N2", description = "host only these nodes (a worker)")
  String nodes;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "the configuration file, JSON or YAML (*.yaml, *.yml); default: conf/graphloop.json, .yaml or .yml when one exists")
  Path conf;

  @Option(names = "--checkpointer", paramLabel = "JSON", description = "the coordinators' checkpoint store")
  String checkpointer;

  @Option(names = "--serve-port", paramLabel = "PORT",
      description = "also serve the graphs over HTTP with LangGraph Server's API (as 'serve'; 0: a free port); "
          + "coordinators only; server options from the 'server' section of --conf")
  Integer servePort;

  @Option(names = "--ops-port", paramLabel = "PORT",
      description = "serve /health/live, /health/ready and /metrics on this port of --host (0 picks one; default: "
          + "no HTTP, readiness on the event bus only; config key ops.port)")
  Integer opsPort;

  @Option(names = "--drain-timeout", paramLabel = "MS",
      description = "on SIGTERM, how long runs in flight may take to finish before the member leaves (default 30000; "
          + "config key ops.drainTimeoutMs)")
  Long drainTimeoutMs;

  @Option(names = "--lite-member",
      description = "hold no cluster data (a Hazelcast lite member): while this member hangs, the others' cluster "
          + "operations do not wait for it. The cluster needs at least one member without it (e.g. the "
          + "coordinators); start that one first")
  boolean liteMember;

  @Mixin
  ClusterArgs clusterArgs = new ClusterArgs();

  @Spec
  CommandSpec spec;

  /** A member's role in the cluster. */
  enum Role { COORDINATOR, WORKER, BOTH }

  /**
   * What a member deploys, worked out from the command line before anything starts.
   *
   * @param nodes the node names given with {@code --nodes}, or {@code null} for all
   * @param base  the runtime options of every deployment; its checkpointer is the coordinators' (a worker's
   *              deployments have none)
   */
  record Plan(Role role, List<CompiledGraph> graphs, List<String> nodes, GraphRuntimeOptions base,
              ClusterOptions cluster, OpsOptions ops) {

    /** The runtime options of {@code graph}'s deployment on this member: {@code base} plus the role. */
    GraphRuntimeOptions optionsFor(CompiledGraph graph) {
      GraphRuntimeOptions options = new GraphRuntimeOptions(base);
      switch (role) {
        case COORDINATOR:
          return options.setCoordinator(true).setNodes(List.of());
        case WORKER:
          return options.setCoordinator(false).setNodes(nodes).setCheckpointer(null); // it keeps no thread
        default:
          return options.setCoordinator(true).setNodes(nodes);
      }
    }

    /** The readiness line: {@code member ready role=worker graphs=seed nodes=llm,db pid=1234}. */
    String readyLine() {
      List<String> names = new ArrayList<>();
      graphs.forEach(graph -> names.add(graph.name()));
      String hosted = role == Role.COORDINATOR ? "none" : nodes == null ? "all" : String.join(",", nodes);
      String store = storeType();
      return "member ready role=" + role.name().toLowerCase(Locale.ROOT) + " graphs=" + String.join(",", names)
          + " nodes=" + hosted + (store == null ? "" : " checkpointer=" + store) + " pid="
          + ProcessHandle.current().pid();
    }

    /** The type of the coordinators' checkpoint store ({@code postgres}, ...), or {@code null} when none. */
    String storeType() {
      JsonObject store = role == Role.WORKER ? null : base.getCheckpointer();
      return store == null ? null : CheckpointStores.check(store);
    }

    /**
     * A warning when this member's coordinators keep threads in a store of their own (memory, SQLite), which other
     * coordinators of the cluster cannot read; {@code null} when there is nothing to say.
     */
    String storeWarning() {
      String store = storeType();
      return store == null || store.equals("postgres") ? null : "member: warning: checkpointer type '" + store
          + "' keeps the threads in this member only; coordinators on several members share threads (and continue "
          + "those of a member that died) only through one PostgreSQL store: --checkpointer "
          + "'{\"type\":\"postgres\",\"host\":...}'.";
    }
  }

  /** Runs the command; returns the exit status (2 for bad arguments, 1 when the member could not start). */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StartupTimes times = StartupTimes.sinceJvmStart();
    Plan plan;
    try {
      plan = plan(CliGraphs.catalog());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      spec.commandLine().usage(err);
      return Cli.USAGE;
    }
    io.graphloop.server.ServerOptions serverOptions = null;
    if (servePort != null) {
      try {
        serverOptions = serverOptions(plan);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        spec.commandLine().usage(err);
        return Cli.USAGE;
      }
    }
    if (plan.storeWarning() != null) {
      err.println(plan.storeWarning());
    }
    Operations ops;
    try {
      ops = new Operations(plan.ops());
    } catch (IllegalStateException e) { // MissingDependencyException: names the artifact
      err.println("member could not start: " + e.getMessage());
      return Cli.FAILED;
    }
    times.phase("configuration");
    Vertx vertx;
    try {
      vertx = Cli.await(ClusteredVertx.start(plan.cluster(), ops::vertxBuilder), JOIN_TIMEOUT_SECONDS,
          "join the cluster");
      times.phase("cluster join");
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Cli.USAGE;
    } catch (RuntimeException e) {
      err.println("member could not join the cluster: " + e.getMessage() + (plan.cluster().isLiteMember()
          ? " (this member was started with --lite-member, which holds no cluster data: a member without it, e.g. "
          + "a coordinator, must be in the cluster first)" : ""));
      return Cli.FAILED;
    }
    Integer listening;
    try {
      Cli.await(ops.start(vertx), DEPLOY_TIMEOUT_SECONDS, "start the readiness checks");
      for (CompiledGraph graph : plan.graphs()) {
        ops.attach(Cli.await(GraphRuntime.deploy(vertx, graph, plan.optionsFor(graph)), DEPLOY_TIMEOUT_SECONDS,
            "deploy graph '" + graph.name() + "'"));
      }
      listening = Cli.await(ops.listen(plan.cluster().getHost()), DEPLOY_TIMEOUT_SECONDS,
          "listen on the operations port " + plan.ops().getPort());
    } catch (RuntimeException e) {
      err.println("member could not start: " + e.getMessage());
      close(vertx, err);
      return Cli.FAILED;
    }
    if (serverOptions != null) {
      io.graphloop.server.ServerVerticle server = new io.graphloop.server.ServerVerticle(plan.graphs(),
          serverOptions).sharedThreads(plan.base().getCheckpointer());
      try {
        java.util.ServiceLoader.load(io.graphloop.server.ServerExtension.class)
            .forEach(extension -> extension.install(vertx, server));
        Cli.await(vertx.deployVerticle(server), DEPLOY_TIMEOUT_SECONDS, "start the HTTP server");
      } catch (RuntimeException e) {
        err.println("member could not serve HTTP: " + e.getMessage());
        close(vertx, err);
        return Cli.FAILED;
      }
      List<String> names = new ArrayList<>();
      plan.graphs().forEach(graph -> names.add(graph.name()));
      out.println("server ready http://" + serverOptions.getHost() + ":" + server.actualPort() + " graphs="
          + String.join(",", names) + " pid=" + ProcessHandle.current().pid());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ProcessExit.onShutdown("graphloop-member-shutdown", () -> {
      // SIGTERM: not ready, no new runs, runs in flight finish (--drain-timeout), then undeploy and leave the cluster
      int left = ops.shutdown(new java.io.PrintStream(new WriterOutput(err), true,
          java.nio.charset.StandardCharsets.UTF_8));
      err.println(left < 0 ? "member did not stop cleanly" : "member stopped");
      err.flush();
      stopped.countDown();
      return left < 0 ? Cli.FAILED : Cli.OK;
    });
    times.phase("graphs and readiness");
    out.println(plan.readyLine() + (listening == null ? "" : " ops=http://" + plan.cluster().getHost() + ":"
        + listening));
    out.flush();
    err.println(times.line("member"));
    err.flush();
    try {
      stopped.await(); // until the process is stopped; the shutdown hook closes Vert.x
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.OK;
  }

  /**
   * The HTTP server's options of {@code --serve-port}: the {@code server} section of {@code --conf} (as {@code serve}
   * reads it) with the port.
   *
   * @throws IllegalArgumentException when this member is not a coordinator, or the options are bad
   */
  private io.graphloop.server.ServerOptions serverOptions(Plan plan) {
    if (plan.role() == Role.WORKER) {
      throw new IllegalArgumentException("--serve-port serves runs and threads, which a coordinator receives; a "
          + "worker has none. Give it to a member with --role coordinator or both.");
    }
    JsonObject file = new JsonObject();
    if (conf != null) {
      try {
        file = new JsonObject(java.nio.file.Files.readString(conf));
      } catch (java.io.IOException | DecodeException | ClassCastException e) {
        throw new IllegalArgumentException("Cannot read configuration file " + conf + " as a JSON object: "
            + e.getMessage(), e);
      }
    }
    Object section = file.getValue("server");
    if (section != null && !(section instanceof JsonObject)) {
      throw new IllegalArgumentException("Field 'server' of " + conf + " must be a JSON object.");
    }
    try {
      return new io.graphloop.server.ServerOptions(section == null ? new JsonObject() : (JsonObject) section)
          .setPort((int) Cli.inRange("--serve-port", servePort, 0, 65535));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad server options" + (conf == null ? "" : " in " + conf) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Works out the plan from {@code args}: role, graphs from {@code catalog}, nodes, runtime and cluster options.
   *
   * @throws IllegalArgumentException saying what is wrong (an unknown role, graph or node, a missing option, ...)
   */
  static Plan plan(String[] args, GraphCatalog catalog) {
    return Cli.parse(new MemberCommand(), args).plan(catalog);
  }

  private Plan plan(GraphCatalog catalog) {
    Role role = role(this.role);
    List<String> graphNames = Cli.list("--graphs", graphs);
    if (graphNames == null) {
      throw new IllegalArgumentException("member needs --graphs: the graphs this member coordinates or hosts, e.g. "
          + "--graphs seed. Known graphs: " + String.join(", ", catalog.names()) + ".");
    }
    List<CompiledGraph> graphs = catalog.graphs(new ArrayList<>(new LinkedHashSet<>(graphNames)));
    List<String> nodes = Cli.list("--nodes", this.nodes);
    if (nodes != null) {
      if (role == Role.COORDINATOR) {
        throw new IllegalArgumentException("--nodes names the nodes a worker hosts; a coordinator hosts none. Use "
            + "--role worker (or both) with --nodes, or leave --nodes out.");
      }
      nodes = List.copyOf(new LinkedHashSet<>(nodes));
      checkNodes(nodes, graphs);
    }
    JsonObject config = CliConfig.load(conf);
    GraphRuntimeOptions base = CliConfig.runtimeOptions(config, conf);
    OpsOptions ops = CliConfig.opsOptions(config, conf);
    try {
      if (opsPort != null) {
        ops.setPort(opsPort);
      }
      if (drainTimeoutMs != null) {
        ops.setDrainTimeoutMs(drainTimeoutMs);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException((opsPort != null && (opsPort < 0 || opsPort > 65535) ? "--ops-port: "
          : "--drain-timeout: ") + e.getMessage(), e);
    }
    if (checkpointer != null) {
      if (role == Role.WORKER) {
        throw new IllegalArgumentException("--checkpointer is the coordinators' store of threads; a worker keeps "
            + "none. Give it to the coordinator members (--role coordinator or both).");
      }
      base.setCheckpointer(checkpointer(checkpointer));
    } else if (role != Role.WORKER && base.getCheckpointer() != null) {
      checkStore(base.getCheckpointer(), "runtime.checkpointer of " + CliConfig.sources(conf));
    }
    return new Plan(role, graphs, nodes, base, clusterArgs.options().setLiteMember(liteMember), ops);
  }

  /** {@code --checkpointer}'s JSON object, checked as the store reads it (nothing is opened yet). */
  private static JsonObject checkpointer(String text) {
    JsonObject store;
    try {
      store = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("--checkpointer takes the store's options as a JSON object, e.g. "
          + "--checkpointer '{\"type\":\"postgres\",\"host\":\"db\",\"database\":\"graphloop\","
          + "\"user\":\"graphloop\"}'; was '" + text + "' (" + e.getMessage() + ").");
    }
    checkStore(store, "--checkpointer");
    return store;
  }

  private static void checkStore(JsonObject store, String where) {
    try {
      CheckpointStores.check(store);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("Bad checkpoint store in " + where + ": " + e.getMessage(), e);
    }
  }

  private static Role role(String value) {
    if (value == null) {
      return Role.BOTH;
    }
    try {
      return Role.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown role '" + value + "' for member; the roles are coordinator "
          + "(receives and drives runs), worker (hosts nodes) and both (the default).");
    }
  }

  /** Every name must be a node of some graph, and every graph must keep at least one of them. */
  private static void checkNodes(List<String> nodes, List<CompiledGraph> graphs) {
    Set<String> known = new TreeSet<>();
    graphs.forEach(graph -> graph.nodes().forEach(node -> known.add(node.name())));
    for (String node : nodes) {
      if (!known.contains(node)) {
        throw new IllegalArgumentException("Unknown node '" + node + "' in --nodes: no graph of --graphs has it. "
            + "Their nodes: " + String.join(", ", known) + ".");
      }
    }
    for (CompiledGraph graph : graphs) {
      List<String> own = new ArrayList<>();
      for (NodeDefinition node : graph.nodes()) {
        own.add(node.name());
      }
      if (own.stream().noneMatch(nodes::contains)) {
        throw new IllegalArgumentException("--nodes " + String.join(",", nodes) + " names no node of graph '"
            + graph.name() + "' (its nodes: " + String.join(", ", own) + "), so this member would host nothing of "
            + "it. Add some of its nodes, or start it on another member.");
      }
    }
  }

  /** Bytes written to a PrintStream, passed on (as UTF-8, line by line) to picocli's writer. */
  private static final class WriterOutput extends java.io.OutputStream {
    private final PrintWriter writer;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutput(PrintWriter writer) {
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
      writer.write(line.toString(java.nio.charset.StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }

  private static void close(Vertx vertx, PrintWriter err) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      err.println("member stopped");
    } catch (Exception e) {
      err.println("member did not stop cleanly within " + CLOSE_TIMEOUT_SECONDS + " s: " + e);
    }
  }
}
