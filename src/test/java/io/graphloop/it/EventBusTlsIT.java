package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.cluster.EventBusTls;
import io.graphloop.examples.FailoverGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 2: event-bus TLS with client authentication between cluster members, with real JVMs on 127.0.0.1
 * and certificates made at test time ({@link TestCertificates}: a CA, members it signed, self-signed rogues).
 *
 * <ol>
 *   <li>A worker child JVM ({@code member --role worker --graphs failover --bus-tls FILE}, a PKCS12 key store) and
 *       this JVM (a coordinator of {@code failover}, joined with {@link EventBusTls} from PEM files) run graphs across
 *       the two JVMs over TLS: every node ran in the worker (its process id is in the trace).</li>
 *   <li>A rogue worker (a child JVM whose certificate the CA did not sign; it trusts the CA, so only client
 *       authentication stands between it and the members) joins Hazelcast and registers the graph's node addresses,
 *       but receives nothing: while it is registered, every run succeeds (an
 *       attempt the coordinator sends to the rogue fails in the handshake, and its retry goes to another member)
 *       and every node ran in the trusted worker, never in the rogue.</li>
 *   <li>A rogue client ({@code run --cluster} with the rogue certificate) cannot deliver a run: it fails with exit
 *       status 1 within its bound (the run's deadline plus the client's grace), it does not hang.</li>
 * </ol>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EventBusTlsIT {

  private static final long READY_MS = 90_000;
  private static final long RUN_TIMEOUT_MS = 30_000;
  private static final int RUNS = 12;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Test
  void membersWithTrustedCertificatesRunGraphsAndAMemberWithoutOneCanNeitherDeliverNorReceive() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it/tls-" + UUID.randomUUID());
    TestCertificates certs = TestCertificates.create(dir);
    Path workerStore = certs.member("worker");
    Path[] coordinatorPem = certs.pem(certs.member("coordinator"), "coordinator");
    Path rogueStore = certs.rogue("rogue");
    Path workerTls = tlsFile(dir.resolve("worker-tls.json"), workerStore, certs);
    Path rogueTls = tlsFile(dir.resolve("rogue-tls.json"), rogueStore, certs);

    LoopbackCluster cluster = LoopbackCluster.of(4); // worker, this JVM, rogue worker, rogue client
    List<MemberProcess> children = new ArrayList<>();
    Vertx vertx = null;
    try {
      MemberProcess worker = MemberProcess.start("tls-worker", cluster.memberArgs(0, "--role", "worker", "--graphs",
          "failover", "--bus-tls", workerTls.toString()));
      children.add(worker);
      worker.awaitLine("member ready", READY_MS);

      ClusterOptions options = cluster.liteMember(1).setEventBusTls(new EventBusTls()
          .setKeyPem(coordinatorPem[0].toString(), coordinatorPem[1].toString())
          .setTrustPem(certs.file("ca.pem").toString()));
      vertx = ClusteredVertx.start(options).toCompletionStage().toCompletableFuture()
          .get(READY_MS, TimeUnit.MILLISECONDS);
      GraphRuntime.deploy(vertx, FailoverGraph.build("failover"), new GraphRuntimeOptions().setCoordinator(true)
          .setNodes(List.of())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      GraphClient client = GraphClient.create(vertx, "failover", RUN_TIMEOUT_MS);

      // 1. across the two JVMs, over TLS
      assertRunsOnlyOn(worker.pid(), runs(client, 4));

      // 2. a rogue worker registers the nodes' addresses but receives nothing
      MemberProcess rogueWorker = MemberProcess.start("tls-rogue-worker", cluster.memberArgs(2, "--role", "worker",
          "--graphs", "failover", "--bus-tls", rogueTls.toString()));
      children.add(rogueWorker);
      rogueWorker.awaitLine("member ready", READY_MS);
      assertRunsOnlyOn(worker.pid(), runs(client, RUNS)); // every run succeeds: a retry avoids the rogue
      assertTrue(rogueWorker.isAlive(), "the rogue worker is still a member (Hazelcast membership is not TLS)");

      // 3. a rogue client cannot deliver a run: it fails within its bound instead of hanging
      long start = System.nanoTime();
      Process rogueRun = cluster.startRunCommand(3, "tls-rogue-run", "--graph", "failover", "--input",
          "{\"x\":1,\"delayMs\":0}", "--timeout-ms", "3000", "--bus-tls", rogueTls.toString());
      assertTrue(rogueRun.waitFor(120, TimeUnit.SECONDS), "the rogue's run command hangs");
      String out = new String(rogueRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = Files.readString(LoopbackCluster.log("tls-rogue-run"));
      System.out.printf("EventBusTlsIT: the rogue client's run ended after %d ms with exit %d: %s%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), rogueRun.exitValue(), lastLine(err));
      assertEquals(1, rogueRun.exitValue(), "stdout: " + out + "\nstderr: " + err);
      assertTrue(out.isBlank(), "the rogue got no state: " + out);
      assertTrue(err.contains("run failed"), err);
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      for (MemberProcess child : children) {
        child.stop(10_000);
      }
    }
  }

  private static List<RunResult> runs(GraphClient client, int count) throws Exception {
    List<Future<RunResult>> runs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      runs.add(client.run(Map.of("x", i, "delayMs", 0), new RunOptions().setTimeoutMs(RUN_TIMEOUT_MS)));
    }
    List<RunResult> results = new ArrayList<>();
    for (Future<RunResult> run : runs) {
      results.add(run.toCompletionStage().toCompletableFuture().get(RUN_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS));
    }
    return results;
  }

  private static void assertRunsOnlyOn(long pid, List<RunResult> results) {
    for (RunResult result : results) {
      JsonObject values = result.values().toJson();
      assertEquals(FailoverGraph.expectedResult(values.getLong("x")), values.getLong("result"), values.encode());
      JsonArray trace = values.getJsonArray("trace");
      assertEquals(2, trace.size(), values.encode());
      for (Object entry : trace) {
        assertEquals(pid, ((JsonObject) entry).getLong("member"), "every node ran in the trusted worker: "
            + values.encode());
      }
    }
  }

  private static Path tlsFile(Path file, Path keyStore, TestCertificates certs) throws Exception {
    Files.writeString(file, new JsonObject().put("keyStore", keyStore.toString())
        .put("keyStorePassword", certs.password()).put("trustStore", certs.file("trust.p12").toString())
        .put("trustStorePassword", certs.password()).put("handshakeTimeoutMs", 5_000).encodePrettily());
    return file;
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
