package io.graphloop.it;

import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.CrashDemo;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coordinator JVM killed with SIGKILL in the middle of a run on a thread; another coordinator, sharing the
 * PostgreSQL checkpoint store, resumes the thread from its last checkpoint, and no node that had completed and been
 * checkpointed runs again. Real processes on 127.0.0.1: a throwaway PostgreSQL ({@link PostgresTestServer}), a worker
 * member hosting the nodes of the {@code crash} graph ({@link CrashDemo}: {@code s1 .. s8}, here {@value #STEP_MS} ms
 * each, every execution logged as {@code "<node> <step> <runId>"} to an fsync'd file before its result exists), two
 * coordinator members A and B ({@code member --role coordinator --checkpointer {"type":"postgres",...}}), the test
 * JVM as a plain (lite) member sending runs with {@link GraphClient}, and the {@code run} command for the reference.
 *
 * <p>The run (durability {@code sync}) is sent while A is the only coordinator, so A drives it; B starts while it
 * runs, held after its first node by a gate file ({@link CrashDemo#GATE_ENV}) until B has joined, however long that
 * takes on a loaded machine (it once took longer than the whole run). While A lives the thread is locked cluster-wide: a {@code proceed} on it is refused with 423 wherever it lands.
 * A is killed half a step after a node logged, so the next node is in flight on the worker (which completes it,
 * for nobody); once the cluster has dropped A (Hazelcast then frees A's locks) and this JVM's requests reach live
 * coordinators only, the test JVM calls {@code proceed} on the thread, retrying on 423 (bounded); B takes it, loads
 * the last checkpoint and finishes. Meanwhile {@code run --cluster --thread reference} runs the graph uninterrupted,
 * for the reference state.
 *
 * <p>What is asserted, precisely (the log lines carry the run id, so the attempt A had in flight, which the worker
 * completes even after A died, is told apart from B's): the checkpointed nodes (the thread's state before the
 * resume) are the first nodes A's run executed, and at most one more node executed in A's run (the one in flight at
 * the kill, whose checkpoint was not written); the thread resumes at the node after the checkpointed ones; B's run
 * executes exactly the other nodes, each once, with the same step numbers; so every checkpointed node ran exactly
 * once, and only the node in flight may have run twice; the final state equals the uninterrupted run's; the
 * recovery (kill to resumed run accepted) stays within {@value #RECOVERY_LIMIT_MS} ms. Every child (and the
 * PostgreSQL server) is stopped in {@code finally}, and by JVM shutdown hooks if the test run is cut short.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CoordinatorFailoverIT {

  /** Each node's delay (the kill lands half a step after a node logged). */
  static final long STEP_MS = 1_000;
  /** From the kill to the resumed run accepted: the cluster drops A (1 to 2 s), then its locks are free. */
  static final long RECOVERY_LIMIT_MS = 30_000;
  private static final long READY_MS = 60_000;
  private static final String THREAD = "failover-thread";
  private static final String RUN_A = "run-on-a";
  private static final String RUN_B = "resumed-on-b";
  private static final int PROBES = 4;
  private static final long PROBE_TIMEOUT_MS = 1_000;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @TempDir
  Path dir;

  private LoopbackCluster cluster;
  private int lostProbes;

  @Test
  void aCoordinatorKilledMidRunIsResumedByAnotherFromTheSharedStoreWithoutRerunningCompletedNodes()
      throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING); // the members' logs are in target/cluster-it/
    Path log = dir.resolve("executions.log");
    Path gate = dir.resolve("gate"); // holds A's run after its first node until B has joined (see CrashDemo)
    Files.writeString(gate, "held");
    List<MemberProcess> children = new ArrayList<>();
    Process reference = null;
    Vertx client = null;
    PostgresTestServer postgres = PostgresTestServer.startOrSkip();
    try {
      String store = new JsonObject().put("type", "postgres").put("host", "127.0.0.1").put("port", postgres.port())
          .put("database", postgres.storeOptions().getDatabase()).put("user", postgres.storeOptions().getUser())
          .put("poolSize", 2).encode();
      cluster = LoopbackCluster.of(5); // worker, A, B, this JVM, the run command

      MemberProcess worker = MemberProcess.start("failover-worker", cluster.memberArgs(0, "--role", "worker", "--graphs",
          "crash"), Map.of(CrashDemo.LOG_ENV, log.toString(), CrashDemo.GATE_ENV, gate.toString()));
      children.add(worker);
      worker.awaitLine("member ready", READY_MS); // the first member: the others join it
      MemberProcess a = MemberProcess.start("coordinator-a", cluster.memberArgs(1, "--role", "coordinator", "--graphs",
          "crash", "--checkpointer", store));
      children.add(a);
      String readyA = a.awaitLine("member ready", READY_MS);
      assertTrue(readyA.contains("role=coordinator graphs=crash nodes=none checkpointer=postgres"), readyA);
      client = ClusteredVertx.start(cluster.liteMember(3)).toCompletionStage().toCompletableFuture()
          .get(READY_MS, TimeUnit.MILLISECONDS);
      GraphClient crash = GraphClient.create(client, "crash", 60_000);

      // A is the only coordinator: it takes the run
      Future<RunResult> doomed = crash.run(Map.of("trail", List.of(), "delayMs", STEP_MS), new RunOptions()
          .setThreadId(THREAD).setRunId(RUN_A).setDurability(Durability.SYNC).setTimeoutMs(60_000));
      waitForExecutions(log, RUN_A, 1, 30_000);
      MemberProcess b = MemberProcess.start("coordinator-b", cluster.memberArgs(2, "--role", "coordinator", "--graphs",
          "crash", "--checkpointer", store));
      children.add(b);
      b.awaitLine("member ready", READY_MS);

      // one run per thread across live members: refused by A (its own run) and by B (A's cluster-wide lock)
      for (int i = 0; i < 4; i++) {
        GraphloopException refused = failure(crash.proceed(new RunOptions().setThreadId(THREAD)
            .setRunId("probe-" + i).setTimeoutMs(10_000)));
        assertEquals(FailureCode.THREAD_BUSY, refused.code(), refused.getMessage());
      }
      Files.delete(gate); // A's run goes on, however long B took to join on a loaded machine

      // kill A in the middle of a step: the next node is in flight on the worker, which will complete it for nobody
      int before = executions(log, RUN_A).size();
      waitForExecutions(log, RUN_A, Math.max(2, before + 1), 30_000);
      Thread.sleep(STEP_MS / 2);
      a.kill(); // SIGKILL
      long killed = System.nanoTime();
      int loggedAtKill = executions(log, RUN_A).size();
      assertTrue(loggedAtKill < CrashDemo.NODES.size(), "A must be killed mid-run, but its run had logged "
          + executions(log, RUN_A) + " (B took too long to start: raise STEP_MS)");

      waitForMembers(client, 3, 30_000); // the worker, B and this JVM: the cluster dropped A
      long droppedMs = msSince(killed);
      // requests this JVM still routes to A's stale registrations are lost (until their timeout): probe first
      ThreadState stateBefore = stateFromLiveCoordinators(client, 30_000);
      reference = startReferenceRun(); // uninterrupted, on another thread (on B, the only coordinator now)
      RunResult resumed = null;
      int busy = 0;
      long accepted = 0; // when the attempt that was taken was sent
      while (resumed == null) {
        accepted = System.nanoTime();
        try {
          resumed = awaitResult(crash.proceed(new RunOptions().setThreadId(THREAD).setRunId(RUN_B)
              .setDurability(Durability.SYNC).setTimeoutMs(60_000)), 70_000);
        } catch (ExecutionException e) {
          GraphloopException failure = assertInstanceOf(GraphloopException.class, e.getCause());
          assertEquals(FailureCode.THREAD_BUSY, failure.code(), failure.getMessage());
          assertTrue(msSince(killed) < RECOVERY_LIMIT_MS, "A's lock on the thread was not freed within "
              + RECOVERY_LIMIT_MS + " ms of its death (" + busy + " attempts refused with 423)");
          busy++;
          Thread.sleep(200);
        }
      }
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(accepted - killed);

      JsonObject referenceState = referenceState(reference);
      List<String[]> runA = executions(log, RUN_A);
      List<String[]> runB = executions(log, RUN_B);
      List<Object> checkpointed = stateBefore.toJson().getJsonObject("values").getJsonArray("trail", new JsonArray())
          .getList();
      System.out.printf("CoordinatorFailoverIT: A killed after its run logged %d nodes; the cluster dropped A "
              + "%d ms after the kill; %d requests sent to A's stale registrations were lost; the resume was taken "
              + "%d ms after the kill, after %d attempts refused with 423; A's run executed %s, checkpointed %s; B's "
              + "run executed %s%n", loggedAtKill, droppedMs, lostProbes, recoveredMs, busy, nodes(runA),
          checkpointed, nodes(runB));

      assertEquals(checkpointed, nodes(runA).subList(0, checkpointed.size()),
          "the checkpointed nodes are the first ones A's run executed");
      int inFlight = runA.size() - checkpointed.size();
      assertTrue(inFlight == 0 || inFlight == 1, "at most the node in flight at the kill executed in A's run "
          + "without its checkpoint: executed " + nodes(runA) + ", checkpointed " + checkpointed);
      String due = CrashDemo.NODES.get(checkpointed.size());
      assertEquals(List.of(due), stateBefore.toJson().getJsonArray("next").getList(),
          "the thread resumes at the node after the checkpointed ones");
      assertEquals(CrashDemo.NODES.subList(checkpointed.size(), CrashDemo.NODES.size()), nodes(runB),
          "B executes exactly the nodes not checkpointed, each once, in order");
      for (String node : CrashDemo.NODES) {
        long total = nodes(runA).stream().filter(node::equals).count()
            + nodes(runB).stream().filter(node::equals).count();
        if (checkpointed.contains(node)) {
          assertEquals(1, total, node + " completed and was checkpointed before the kill: it must not run again");
        } else {
          assertTrue(total == 1 || node.equals(due) && total == 2,
              "only the node in flight at the kill (" + due + ") may have run twice; " + node + " ran " + total);
        }
      }
      for (String[] execution : concat(runA, runB)) {
        assertEquals(CrashDemo.NODES.indexOf(execution[0]) + 1, Integer.parseInt(execution[1]),
            "the resumed run keeps the step numbers (nodes run from step 1, as in LangGraph): " + String.join(" ", execution));
      }
      assertEquals(CrashDemo.NODES, referenceState.getJsonArray("trail").getList());
      assertEquals(referenceState, new JsonObject(resumed.values().toJson().encode()),
          "the final state of an uninterrupted run");
      assertEquals(THREAD, resumed.threadId());
      assertFalse(doomed.succeeded(), "the run A drove cannot have answered");
      assertTrue(recoveredMs < RECOVERY_LIMIT_MS, "recovered in " + recoveredMs + " ms");
    } finally {
      try {
        if (client != null) {
          client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      } finally {
        if (reference != null) {
          reference.destroyForcibly();
        }
        for (MemberProcess child : children) {
          child.kill();
        }
        postgres.close();
      }
    }
  }

  /** {@code run --cluster --graph crash --thread reference ...} from the jar, as a user would; not waited for here. */
  private Process startReferenceRun() throws IOException {
    return cluster.startRunCommand(4, "failover-reference", "--graph", "crash", "--thread", "reference",
        "--durability", "sync", "--timeout-ms", "60000", "--input",
        new JsonObject().put("trail", new JsonArray()).put("delayMs", STEP_MS).encode());
  }

  private static JsonObject referenceState(Process reference) throws Exception {
    assertTrue(reference.waitFor(60, TimeUnit.SECONDS), "the reference run did not end within 60 s");
    String stdout = new String(reference.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, reference.exitValue(), "the reference run failed; stdout: " + stdout + "; stderr in "
        + "target/cluster-it/failover-reference.log");
    return new JsonObject(stdout.trim());
  }

  /**
   * The thread's state, once this JVM's event bus routes requests to live coordinators only: right after the cluster
   * dropped a member, requests may still be routed to its registrations, which Vert.x removes a moment later, and are
   * then lost until their timeout. So harmless requests with a short timeout ({@value #PROBE_TIMEOUT_MS} ms) are sent
   * (round robin over the coordinators this JVM knows) until {@value #PROBES} in a row are answered, on the run
   * address (a run continuing a thread that does not exist: refused with 400) and on the threads address
   * ({@code get} of the thread). Each run probe names a thread of its own: a probe that timed out here may still be
   * in flight at a slow live coordinator, and a second probe on the same thread would meet it (423, a run in flight
   * on that thread), which is what a loaded CI machine did once.
   */
  private ThreadState stateFromLiveCoordinators(Vertx client, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
    probe(client, "graphloop.crash.run", () -> new JsonObject().put("options", new JsonObject()
        .put("threadId", "no-such-thread-" + probes.incrementAndGet()).put("timeoutMs", 2_000)), deadline);
    JsonObject get = new JsonObject().put("op", "get").put("threadId", THREAD);
    Object body = probe(client, "graphloop.crash.threads", () -> get, deadline);
    return body instanceof ThreadState ? (ThreadState) body : ThreadState.fromJson((JsonObject) body);
  }

  /** Sends a new {@code request} to {@code address} until {@value #PROBES} in a row are answered; the last answer. */
  private Object probe(Vertx client, String address, java.util.function.Supplier<JsonObject> request, long deadline)
      throws Exception {
    Object last = null;
    for (int answered = 0; answered < PROBES; ) {
      assertTrue(System.nanoTime() < deadline, "no coordinator answered " + PROBES + " requests in a row on "
          + address + " in time (" + lostProbes + " lost)");
      try {
        last = awaitResult(client.eventBus().request(address, request.get(), new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS)),
            5_000).body();
        answered++;
      } catch (ExecutionException e) {
        ReplyException failure = assertInstanceOf(ReplyException.class, e.getCause());
        if (failure.failureType() == ReplyFailure.TIMEOUT) {
          lostProbes++;
          answered = 0;
        } else {
          assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType(), failure.getMessage());
          assertEquals(400, failure.failureCode(), failure.getMessage()); // refused by a live coordinator
          answered++;
        }
      }
    }
    return last;
  }

  private static GraphloopException failure(Future<RunResult> run) throws Exception {
    try {
      RunResult result = awaitResult(run, 20_000);
      throw new AssertionError("expected a failure, the run succeeded: " + result.toJson());
    } catch (ExecutionException e) {
      return assertInstanceOf(GraphloopException.class, e.getCause());
    }
  }

  private static <T> T awaitResult(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Waits until the cluster, as this JVM sees it, has {@code count} members. */
  private static void waitForMembers(Vertx client, int count, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (((VertxInternal) client).clusterManager().getNodes().size() != count) {
      assertTrue(System.nanoTime() < deadline, "the cluster still has "
          + ((VertxInternal) client).clusterManager().getNodes().size() + " members after " + timeoutMs + " ms");
      Thread.sleep(20);
    }
  }

  private static void waitForExecutions(Path log, String runId, int count, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (executions(log, runId).size() < count) {
      assertTrue(System.nanoTime() < deadline, "run " + runId + " logged " + executions(log, runId).size()
          + " nodes in " + timeoutMs + " ms, not " + count);
      Thread.sleep(5);
    }
  }

  /** The executions of run {@code runId}, in log order: {node, step, runId}. */
  private static List<String[]> executions(Path log, String runId) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank())
        .map(line -> line.split(" ")).filter(fields -> fields.length == 3 && fields[2].equals(runId)).toList();
  }

  private static List<String> nodes(List<String[]> executions) {
    return executions.stream().map(fields -> fields[0]).toList();
  }

  private static List<String[]> concat(List<String[]> first, List<String[]> second) {
    List<String[]> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static long msSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
