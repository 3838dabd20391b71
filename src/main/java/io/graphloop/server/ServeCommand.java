package io.graphloop.server;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.internal.config.ConfigFiles;
import io.graphloop.ops.Operations;
import io.graphloop.ops.OpsOptions;
import io.graphloop.ops.ProcessExit;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code graphloop serve [--graphs G1,G2] [--port 2024] [--host 127.0.0.1] [--conf FILE] ...} (the options:
 * {@link ServeFlags}, declared once): deploys graphs of the
 * {@link GraphCatalog} (all of them by default) with a checkpointer (in memory unless {@code runtime.checkpointer} of
 * the configuration file names another), then serves them over HTTP with {@link ServerVerticle}, LangGraph Server's
 * API. Prints {@code server ready http://HOST:PORT graphs=...} once listening, and runs until stopped.
 *
 * <p>The configuration file is JSON like {@code conf/graphloop.json}, or YAML when named {@code *.yaml} or
 * {@code *.yml} (the same tree): {@code runtime} holds the graphs' runtime
 * options, {@code server} the {@link ServerOptions} (the command line's options win over the file's),
 * {@code ops} the {@link OpsOptions} (metrics, drain timeout, an operations port). {@code GET /health/live},
 * {@code /health/ready} and {@code /metrics} are served beside the API (by {@link io.graphloop.ops.OpsExtension}); on
 * SIGTERM the server drains ({@link Operations#shutdown}) and exits 0 once everything is closed.
 *
 * <p>Runs on the CLI's main thread (a plain thread), which may wait, always with a bound.
 */
public final class ServeCommand {

  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  /** What {@code serve} starts, worked out from the command line before anything starts. */
  record Plan(List<CompiledGraph> graphs, GraphRuntimeOptions runtime, ServerOptions server, JsonObject store,
              OpsOptions ops) {
  }

  private ServeCommand() {
  }

  /**
   * Runs the command with the options of {@code args} over the graphs of {@code catalog}; returns the exit status (2
   * for bad arguments, 1 when the server could not start). Parsing needs picocli, the command line's dependency.
   */
  public static int run(String[] args, GraphCatalog catalog, PrintStream out, PrintStream err) {
    ServeFlags flags;
    try {
      flags = ServeFlags.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(ServeFlags.usage());
      return 2;
    }
    return run(flags, catalog, out, err);
  }

  /**
   * Runs the command with {@code flags} over the graphs of {@code catalog}; returns the exit status (2 for bad
   * options or configuration, 1 when the server could not start).
   */
  public static int run(ServeFlags flags, GraphCatalog catalog, PrintStream out, PrintStream err) {
    Plan plan;
    try {
      plan = plan(flags, catalog);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println("See: java -jar graphloop.jar serve --help");
      return 2;
    }
    Operations ops;
    try {
      ops = new Operations(plan.ops());
    } catch (IllegalStateException e) { // MissingDependencyException: names the artifact to add
      err.println("serve could not start: " + e.getMessage());
      return 1;
    }
    Vertx vertx = ops.vertxBuilder(new VertxOptions()).build();
    ServerVerticle server = new ServerVerticle(plan.graphs(), plan.server())
        .sharedThreads(plan.runtime().getCheckpointer());
    Integer opsPort;
    try {
      Future<Void> deployed = ops.start(vertx); // before the extensions: OpsExtension finds it with Operations.of
      java.util.ServiceLoader.load(ServerExtension.class).forEach(extension -> extension.install(vertx, server));
      deployed = deployed.compose(started -> io.graphloop.store.StoreConfig.open(vertx, plan.store())).map(store -> {
        plan.runtime().setStore(store); // the nodes' store is the one /store/* serves
        server.store(store);
        return null;
      });
      for (CompiledGraph graph : plan.graphs()) {
        deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, plan.runtime()).map(runtime -> {
          ops.attach(runtime);
          return null;
        }));
      }
      opsPort = deployed.compose(ready -> vertx.deployVerticle(server))
          .compose(ready -> ops.listen(plan.server().getHost())).toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      err.println("serve could not start: " + cause.getMessage());
      close(vertx, err);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ProcessExit.onShutdown("graphloop-serve-shutdown", () -> {
      // SIGTERM: not ready, no new runs, runs in flight finish (ops.drainTimeoutMs), then undeploy and close
      int left = ops.shutdown(err);
      err.println(left < 0 ? "server did not stop cleanly" : "server stopped");
      err.flush();
      stopped.countDown();
      return left < 0 ? 1 : 0;
    });
    List<String> names = new ArrayList<>();
    plan.graphs().forEach(graph -> names.add(graph.name()));
    out.println("server ready http://" + plan.server().getHost() + ":" + server.actualPort() + " graphs="
        + String.join(",", names) + (opsPort == null ? "" : " ops=http://" + plan.server().getHost() + ":" + opsPort)
        + " pid=" + ProcessHandle.current().pid());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Works out the plan from {@code args}.
   *
   * @throws IllegalArgumentException saying what is wrong (an unknown option or graph, a bad port or file)
   */
  static Plan plan(String[] args, GraphCatalog catalog) {
    return plan(ServeFlags.parse(args), catalog);
  }

  /**
   * Works out the plan from {@code flags}: the configuration file's sections, the flags given winning over them.
   *
   * @throws IllegalArgumentException saying what is wrong (an unknown graph, a value out of its range, a bad file)
   */
  static Plan plan(ServeFlags flags, GraphCatalog catalog) {
    String conf = flags.conf;
    JsonObject file = conf == null ? new JsonObject() : readConf(Path.of(conf));
    GraphRuntimeOptions runtime;
    ServerOptions server;
    OpsOptions ops;
    try {
      ops = new OpsOptions(section(file, "ops", conf));
      runtime = new GraphRuntimeOptions(section(file, "runtime", conf));
      server = new ServerOptions(section(file, "server", conf));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("Bad options" + (conf == null ? "" : " in " + conf) + ": " + e.getMessage(),
          e);
    }
    set("--drain-timeout", flags.drainTimeoutMs, ops::setDrainTimeoutMs);
    flagsOver(server, flags);
    if (runtime.getCheckpointer() == null) {
      runtime.setCheckpointer(new JsonObject().put("type", "memory")); // threads need one; memory, as langgraph dev
    }
    List<CompiledGraph> graphs = catalog.graphs(flags.graphs == null ? new ArrayList<>(catalog.names())
        : new ArrayList<>(new LinkedHashSet<>(flags.graphs)));
    JsonObject store = section(file, "store", conf);
    try {
      io.graphloop.store.StoreConfig.check(store);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad store configuration" + (conf == null ? "" : " in " + conf) + ": "
          + e.getMessage(), e);
    }
    return new Plan(graphs, runtime, server, store, ops);
  }

  /** Sets the server options {@code flags} give over {@code server}'s. */
  private static void flagsOver(ServerOptions server, ServeFlags flags) {
    set("--port", flags.port, server::setPort);
    set("--host", flags.host, server::setHost);
    if (flags.allowUnauthenticated) {
      server.setAllowUnauthenticated(true);
    }
    set("--max-body-bytes", flags.maxBodyBytes, server::setMaxBodyBytes);
    set("--max-streams", flags.maxStreams, server::setMaxStreams);
    set("--accept-backlog", flags.acceptBacklog, server::setAcceptBacklog);
    set("--http-instances", flags.httpInstances, server::setHttpInstances);
    set("--http2-max-streams", flags.http2MaxStreams, server::setHttp2MaxStreams);
    set("--keep-alive-timeout-ms", flags.keepAliveTimeoutMs, server::setKeepAliveTimeoutMs);
  }

  /** {@code setter(value)} unless {@code value} is null (not given), a refusal naming {@code option}. */
  private static <T> void set(String option, T value, java.util.function.Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad value " + value + " for " + option + ": " + e.getMessage(), e);
    }
  }

  private static JsonObject section(JsonObject file, String name, String conf) {
    Object section = file.getValue(name);
    if (section != null && !(section instanceof JsonObject)) {
      throw new IllegalArgumentException("Field '" + name + "' of " + conf + " must be a JSON object.");
    }
    return section == null ? new JsonObject() : (JsonObject) section;
  }

  /** JSON, or YAML for {@code *.yaml}/{@code *.yml} (see {@link ConfigFiles}). */
  private static JsonObject readConf(Path file) {
    return ConfigFiles.read(file);
  }

  private static void close(Vertx vertx, PrintStream err) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      err.println("server stopped");
    } catch (Exception e) {
      err.println("server did not stop cleanly within " + CLOSE_TIMEOUT_SECONDS + " s: " + e);
    }
  }
}
