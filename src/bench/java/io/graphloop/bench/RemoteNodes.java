package io.graphloop.bench;

import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.support.LoopbackPorts;
import io.vertx.core.Vertx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The second JVM of the workloads whose nodes run elsewhere: a clustered Vert.x in the measuring child (it will
 * run the coordinators) and a worker member in a second child JVM that hosts every node of a built-in graph,
 * started as a user would ({@code graphloop member --role worker --graphs <graph>}, same classpath and JVM flags),
 * both on 127.0.0.1 with {@code conf/cluster.xml} and a Hazelcast port each. The worker's stderr goes to
 * {@code target/bench/logs/<workload>-graphloop-worker.log}.
 *
 * <p>Used from the child's main thread (it waits, with bounds); {@link #close()} stops the worker (SIGTERM, then
 * SIGKILL after 10 s).
 */
final class RemoteNodes implements AutoCloseable {

  private static final long READY_SECONDS = 90;
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private final Vertx vertx;
  private final Process worker;
  private final String graph;

  private RemoteNodes(Vertx vertx, Process worker, String graph) {
    this.vertx = vertx;
    this.worker = worker;
    this.graph = graph;
  }

  /** Joins the cluster here, then starts the worker JVM hosting {@code graph}'s nodes and waits until it is ready. */
  static RemoteNodes start(String graph, String workload) throws Exception {
    HAZELCAST_LOG.setLevel(Level.SEVERE); // Hazelcast's startup notices would count as warnings of the measurement
    Path root = BenchMain.repositoryRoot();
    String clusterXml = root.resolve("conf/cluster.xml").toString();
    List<Integer> ports = LoopbackPorts.free(2);
    String members = "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
    Vertx vertx = ClusteredVertx.start(new ClusterOptions().setClusterConfig(clusterXml).setHost("127.0.0.1")
            .setPort(ports.get(0)).setMembers(List.of(members.split(","))))
        .toCompletionStage().toCompletableFuture().get(READY_SECONDS, TimeUnit.SECONDS);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.graphloop.cli.Main", "member",
        "--role", "worker", "--graphs", graph, "--cluster-config", clusterXml, "--host", "127.0.0.1",
        "--cluster-port", String.valueOf(ports.get(1)), "--cluster-members", members));
    Path log = root.resolve("target/bench/logs/" + workload + "-graphloop-worker.log");
    Files.createDirectories(log.getParent());
    Process worker = new ProcessBuilder(command).redirectError(log.toFile()).start();
    RemoteNodes remote = new RemoteNodes(vertx, worker, graph);
    try {
      remote.awaitReady(log);
    } catch (Exception | AssertionError e) {
      remote.close();
      throw e;
    }
    return remote;
  }

  private void awaitReady(Path log) throws Exception {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("member ready")) {
            ready.complete(line);
          }
        }
        ready.completeExceptionally(new IOException("the worker JVM ended without 'member ready' (see " + log + ")"));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    }, "bench-worker-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the worker JVM was not ready within " + READY_SECONDS + " s (see " + log + ")");
    }
  }

  /** This JVM's clustered Vert.x (deploy the coordinators on it, hosting no node). */
  Vertx vertx() {
    return vertx;
  }

  /** How the workload is driven, for the report. */
  String describe() {
    return "coordinators in the measuring JVM (a clustered Vert.x hosting no node), every node of built-in graph '"
        + graph + "' on a worker member in a second JVM (graphloop member --role worker), Hazelcast on 127.0.0.1";
  }

  /** Stops the worker JVM (this JVM's Vert.x is closed by its owner). */
  @Override
  public void close() {
    worker.destroy();
    try {
      if (!worker.waitFor(10, TimeUnit.SECONDS)) {
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      worker.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
