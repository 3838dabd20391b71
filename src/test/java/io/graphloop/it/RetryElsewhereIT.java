package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.examples.FailoverGraph;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: a retry after a transport failure goes to another member than the one that failed. Three real JVMs on
 * 127.0.0.1: two workers ({@code member --role worker --graphs failover}, from the jar) and this JVM, a coordinator
 * of {@code failover} built with <em>two</em> attempts per step, so that a retry sent to the member that just failed
 * would fail the run (before the change Vert.x picked the member of every attempt, so about half of the retries went
 * back to it).
 *
 * <ol>
 *   <li>A worker is killed ({@code SIGKILL}) while 40 runs are in flight: every run succeeds with the right state,
 *       and some step needed its second attempt (it was in flight in the killed worker).</li>
 *   <li>A second load starts at once, while the other members may still list the killed worker: every run
 *       succeeds, and every step of it ran in the surviving worker.</li>
 *   <li>A worker hangs instead ({@code kill -STOP}): its connections stay open and the cluster keeps listing it
 *       until {@code hazelcast.max.no.heartbeat.seconds} (10 s in {@code conf/cluster.xml}), so requests are still
 *       sent to it and go unanswered. Here the workers are lite members ({@code member --lite-member}) and this JVM,
 *       the coordinator, holds the cluster's data: so the hung worker owns no partition of the cluster's tables, and
 *       the survivor's address lookups never wait for it (with data-holding workers they did, until the cluster
 *       dropped the hung one, and runs ran out of attempts: 2 of 4 passes). Each attempt sent to the hung worker
 *       fails at the node's deadline (3 s), a transport failure of that member: the task's next attempt goes to the
 *       survivor, so every step ends within two deadlines, and all 40 runs started while it hangs succeed, every
 *       step done by the survivor. With {@code memberQuarantineMs} set (5 s here; it is off by default) the hung
 *       worker is also quarantined, so a second load, started once the first deadlines passed and while the
 *       cluster still lists it, sends (almost) no step to it. The hung worker is resumed ({@code kill -CONT}) and
 *       killed at the end.</li>
 * </ol>
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class RetryElsewhereIT {

  private static final long READY_MS = 120_000;
  private static final long RUN_TIMEOUT_MS = 60_000;
  private static final int RUNS = 40;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Test
  void everyRunSucceedsWhenAWorkerIsKilledMidLoadWithTwoAttemptsPerStep() throws Exception {
    HAZELCAST_LOG.setLevel(Level.SEVERE);
    LoopbackCluster cluster = LoopbackCluster.of(3);
    List<MemberProcess> children = new ArrayList<>();
    Vertx vertx = null;
    try {
      MemberProcess survivor = MemberProcess.start("retry-worker-a", cluster.memberArgs(0, "--role", "worker",
          "--graphs", "failover"));
      children.add(survivor);
      MemberProcess victim = MemberProcess.start("retry-worker-b", cluster.memberArgs(1, "--role", "worker",
          "--graphs", "failover"));
      children.add(victim);
      survivor.awaitLine("member ready", READY_MS);
      victim.awaitLine("member ready", READY_MS);
      startUpTimes(survivor);

      vertx = ClusteredVertx.start(cluster.liteMember(2)).toCompletionStage().toCompletableFuture()
          .get(READY_MS, TimeUnit.MILLISECONDS);
      RetryPolicy twoAttempts = RetryPolicy.builder().maxAttempts(2).initialIntervalMs(50).jitterMs(0).build();
      GraphRuntime.deploy(vertx, FailoverGraph.build("failover", twoAttempts), new GraphRuntimeOptions()
          .setCoordinator(true).setNodes(List.of()).setReplyGraceMs(500)).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      GraphClient client = GraphClient.create(vertx, "failover", RUN_TIMEOUT_MS);

      // both workers take work before anything goes wrong
      warmUp(client);

      // a worker is killed mid-load: its steps in flight time out and are retried on the survivor; requests sent
      // to it meanwhile (while members still list it) fail and are retried on the survivor
      List<Future<RunResult>> load = start(client, RUNS, 300);
      Thread.sleep(400); // the first steps are running on both workers
      victim.kill();
      List<RunResult> killed = await(load);
      assertCorrect(killed);
      long retried = killed.stream().flatMap(result -> trace(result).stream())
          .filter(entry -> entry.getInteger("attempt") == 2).count();
      System.out.printf("RetryElsewhereIT: %d runs succeeded with worker %d killed mid-load; %d steps took their "
          + "second attempt%n", killed.size(), victim.pid(), retried);
      assertTrue(retried > 0, "no step was in flight in the killed worker: the test proved nothing");
      // and a load started at once after the kill, while members may still list it: all in the survivor
      List<RunResult> afterKill = await(start(client, RUNS, 100));
      assertCorrect(afterKill);
      for (RunResult result : afterKill) {
        for (JsonObject entry : trace(result)) {
          assertEquals(survivor.pid(), entry.getLong("member"), "a step ran in the killed worker: " + entry);
        }
      }
      assertTrue(survivor.isAlive());
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      for (MemberProcess child : children) {
        if (child.isAlive()) {
          child.kill();
        }
      }
    }
  }

  @Test
  void everyRunSucceedsWithinTwoDeadlinesWhenALiteWorkerHangsWhileTheClusterStillListsIt() throws Exception {
    HAZELCAST_LOG.setLevel(Level.SEVERE);
    LoopbackCluster cluster = LoopbackCluster.of(3);
    List<MemberProcess> children = new ArrayList<>();
    Vertx vertx = null;
    MemberProcess hung = null;
    try {
      // this JVM holds the cluster's data, so it joins first; the workers are lite members
      vertx = ClusteredVertx.start(cluster.liteMember(0).setLiteMember(false)).toCompletionStage()
          .toCompletableFuture().get(READY_MS, TimeUnit.MILLISECONDS);
      MemberProcess survivor = MemberProcess.start("hang-worker-a", cluster.memberArgs(1, "--role", "worker",
          "--graphs", "failover", "--lite-member"));
      children.add(survivor);
      hung = MemberProcess.start("hang-worker-b", cluster.memberArgs(2, "--role", "worker", "--graphs", "failover",
          "--lite-member"));
      children.add(hung);
      survivor.awaitLine("member ready", READY_MS);
      hung.awaitLine("member ready", READY_MS);

      RetryPolicy threeAttempts = RetryPolicy.builder().maxAttempts(3).initialIntervalMs(50).jitterMs(0).build();
      GraphRuntime.deploy(vertx, FailoverGraph.build("failover", threeAttempts, 3_000), new GraphRuntimeOptions()
          .setCoordinator(true).setNodes(List.of()).setReplyGraceMs(500).setMemberQuarantineMs(5_000))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      GraphClient client = GraphClient.create(vertx, "failover", RUN_TIMEOUT_MS);

      // both workers take work before anything goes wrong (so each one's node addresses have been used)
      List<RunResult> warmUp = warmUp(client);
      long hungPid = hung.pid();
      assertTrue(warmUp.stream().flatMap(result -> trace(result).stream())
          .anyMatch(entry -> entry.getLong("member") == hungPid), "the second worker took no work before it hung");

      hung.suspend();
      long hungAt = System.nanoTime();
      List<Future<RunResult>> firstLoad = start(client, RUNS, 300);
      // once the first requests sent to the hung worker missed their deadline (3 s + 0.5 s grace), it is
      // quarantined: a second load started then, while the cluster still lists it, sends (almost) nothing to it
      Thread.sleep(4_500); // the JUnit thread
      int membersThen = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodes().size();
      List<Future<RunResult>> secondLoad = start(client, RUNS, 100);
      List<RunResult> whileHung = await(firstLoad);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
      List<RunResult> quarantined = await(secondLoad);
      assertCorrect(whileHung);
      assertCorrect(quarantined);
      long retried = whileHung.stream().flatMap(result -> trace(result).stream())
          .filter(entry -> entry.getInteger("attempt") >= 2).count();
      int lastAttempt = whileHung.stream().flatMap(result -> trace(result).stream())
          .mapToInt(entry -> entry.getInteger("attempt")).max().orElse(0);
      long retriedAgain = quarantined.stream().flatMap(result -> trace(result).stream())
          .filter(entry -> entry.getInteger("attempt") >= 2).count();
      System.out.printf("RetryElsewhereIT: %d runs succeeded in %d ms with lite worker %d hung (kill -STOP); %d of "
          + "their steps took a later attempt, the latest attempt %d. %d runs started %d ms later, when the cluster "
          + "listed %d members: all succeeded, %d of their steps took a later attempt%n", whileHung.size(), tookMs,
          hungPid, retried, lastAttempt, quarantined.size(), 4_500, membersThen, retriedAgain);
      for (List<RunResult> load : List.of(whileHung, quarantined)) {
        for (RunResult result : load) {
          for (JsonObject entry : trace(result)) {
            assertEquals(survivor.pid(), entry.getLong("member"), "a step's result came from the hung worker: "
                + entry);
          }
        }
      }
      assertTrue(retried > 0, "no request went to the hung worker: the test proved nothing");
      assertTrue(lastAttempt <= 2, "a step needed a third attempt: the survivor missed a deadline while the other "
          + "worker hung (its answers waited for the hung member)");
      assertEquals(3, membersThen, "the cluster no longer listed the hung worker when the second load started");
      assertTrue(retriedAgain <= RUNS / 4, retriedAgain + " of " + (2 * RUNS) + " steps of the second load were "
          + "sent to the quarantined worker (or missed a deadline) first");
      assertTrue(survivor.isAlive());
    } finally {
      if (hung != null && hung.isAlive()) {
        hung.resume(); // (bounded: kill waits at most 10 s)
      }
      for (MemberProcess child : children) {
        if (child.isAlive()) {
          child.kill();
        }
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Issue 11, item 16: a member says on stderr where its start-up time went (since the JVM started, then within the
   * cluster join); printed here as the measurement of a start on loopback.
   */
  private static void startUpTimes(MemberProcess member) throws Exception {
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("member started in [0-9.]+ s since the JVM "
        + "started: JVM and command line [0-9.]+ s, configuration [0-9.]+ s, cluster join [0-9.]+ s, graphs and "
        + "readiness [0-9.]+ s");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String log = member.log();
    while (!line.matcher(log).find() && System.nanoTime() < deadline) { // (stderr comes just after the ready line)
      Thread.sleep(100); // the JUnit thread
      log = member.log();
    }
    java.util.regex.Matcher started = line.matcher(log);
    java.util.regex.Matcher joined = java.util.regex.Pattern.compile("Joined the cluster in [0-9.]+ s: .*")
        .matcher(log);
    assertTrue(started.find(), "no start-up line on the member's stderr: " + member.tail());
    assertTrue(joined.find(), "no join line on the member's stderr: " + member.tail());
    System.out.println("RetryElsewhereIT: " + member.name() + ": " + started.group() + "; " + joined.group());
  }

  /**
   * Runs batches of 8 quick runs until one batch succeeds whole, within {@code READY_MS}, and returns it. The workers'
   * first requests are slow (cold JVMs, connections and address lookups made on first use) and on a loaded machine
   * may miss both attempts' deadlines: that is not what these tests are about.
   */
  private static List<RunResult> warmUp(GraphClient client) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MS);
    while (true) {
      List<RunResult> results = new ArrayList<>();
      String failure = null;
      for (Future<RunResult> run : start(client, 8, 0)) {
        try {
          results.add(run.toCompletionStage().toCompletableFuture().get(RUN_TIMEOUT_MS + 10_000,
              TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          failure = String.valueOf(e.getCause());
        }
      }
      if (failure == null) {
        assertCorrect(results);
        return results;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the warm-up runs still fail after " + READY_MS + " ms: " + failure);
      }
      System.out.println("RetryElsewhereIT: a warm-up run failed (" + failure + "); warming up again");
    }
  }

  private static List<Future<RunResult>> start(GraphClient client, int count, long delayMs) {
    List<Future<RunResult>> runs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      runs.add(client.run(Map.of("x", i, "delayMs", delayMs), new RunOptions().setTimeoutMs(RUN_TIMEOUT_MS)));
    }
    return runs;
  }

  /** Every run's result; a run that failed fails the test with its failure. */
  private static List<RunResult> await(List<Future<RunResult>> runs) throws Exception {
    List<RunResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Future<RunResult> run : runs) {
      try {
        results.add(run.toCompletionStage().toCompletableFuture().get(RUN_TIMEOUT_MS + 10_000,
            TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + runs.size() + " runs failed: " + failures);
    return results;
  }

  private static void assertCorrect(List<RunResult> results) {
    for (RunResult result : results) {
      JsonObject values = result.values().toJson();
      assertEquals(FailoverGraph.expectedResult(values.getLong("x")), values.getLong("result"), values.encode());
      assertEquals(2, values.getJsonArray("trace").size(), values.encode());
    }
  }

  private static List<JsonObject> trace(RunResult result) {
    List<JsonObject> entries = new ArrayList<>();
    for (Object entry : result.values().toJson().getJsonArray("trace")) {
      entries.add((JsonObject) entry);
    }
    return entries;
  }
}
