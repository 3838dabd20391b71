package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.examples.FailoverGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 15: how point-to-point requests spread over cluster members with different handler counts.
 *
 * <ol>
 *   <li>Vert.x 5.0.10's own rule, measured with plain consumers: two more clustered Vert.x instances in this JVM (real
 *       Hazelcast members) listen on one address, with 1 and 4 consumers, then 2 and 4; 100 sends from a third
 *       member. Vert.x weighs each member by its registrations minus one, so the member with 1 gets none and the one
 *       with 2 a quarter. The test asserts exactly that, so that a Vert.x upgrade that changes the rule is noticed
 *       (and the README's description updated).</li>
 *   <li>Graphloop's placement: two worker JVMs host the {@code failover} graph's nodes with 1 and 4 instances each
 *       ({@code --conf} with {@code nodeInstances}), and this JVM coordinates 60 runs (120 node executions). Each
 *       worker has one registration per node ({@code NodeRoute}), so each runs about half of the executions (the
 *       trace names the process that ran each step).</li>
 * </ol>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PlacementIT {

  private static final long READY_MS = 90_000;
  private static final int SENDS = 100;
  private static final int RUNS = 60;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Test
  void vertxWeighsMembersByTheirRegistrationsMinusOne() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    LoopbackCluster cluster = LoopbackCluster.of(3);
    List<Vertx> members = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        ClusterOptions options = cluster.liteMember(i).setLiteMember(false);
        members.add(get(ClusteredVertx.start(options), READY_MS));
      }
      assertEquals(List.of(0, SENDS), spread(members, 1, 4), "1 beside 4 consumers: the member with 1 gets none");
      List<Integer> twoAndFour = spread(members, 2, 4); // weights 1 and 3: a quarter (the cycle may start mid-way)
      assertTrue(twoAndFour.get(0) >= 20 && twoAndFour.get(0) <= 30, "2 beside 4: " + twoAndFour);
      List<Integer> even = spread(members, 3, 3);
      assertTrue(even.get(0) >= 45 && even.get(0) <= 55, "equal counts share evenly: " + even);
    } finally {
      for (Vertx member : members) {
        get(member.close(), 30_000);
      }
    }
  }

  @Test
  void membersWithOneAndFourInstancesOfANodeShareItsWork() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it/placement-" + UUID.randomUUID());
    Files.createDirectories(dir);
    LoopbackCluster cluster = LoopbackCluster.of(3);
    List<MemberProcess> children = new ArrayList<>();
    Vertx vertx = null;
    try {
      MemberProcess one = MemberProcess.start("placement-one", cluster.memberArgs(0, "--role", "worker", "--graphs",
          "failover", "--conf", conf(dir, 1).toString()));
      children.add(one);
      MemberProcess four = MemberProcess.start("placement-four", cluster.memberArgs(1, "--role", "worker",
          "--graphs", "failover", "--conf", conf(dir, 4).toString()));
      children.add(four);
      one.awaitLine("member ready", READY_MS);
      four.awaitLine("member ready", READY_MS);
      vertx = get(ClusteredVertx.start(cluster.liteMember(2)), READY_MS);
      get(GraphRuntime.deploy(vertx, FailoverGraph.build("failover"), new GraphRuntimeOptions().setCoordinator(true)
          .setNodes(List.of())), 60_000);
      GraphClient client = GraphClient.create(vertx, "failover", 30_000);
      Map<Long, Integer> executions = new HashMap<>();
      for (int i = 0; i < RUNS; i++) {
        RunResult result = get(client.run(Map.of("x", i, "delayMs", 0), new RunOptions()), 60_000);
        for (Object entry : result.values().toJson().getJsonArray("trace")) {
          executions.merge(((JsonObject) entry).getLong("member"), 1, Integer::sum);
        }
      }
      int byOne = executions.getOrDefault(one.pid(), 0);
      int byFour = executions.getOrDefault(four.pid(), 0);
      System.out.printf("PlacementIT: of %d node executions, the worker with 1 instance ran %d, the one with 4 ran "
          + "%d%n", RUNS * 2, byOne, byFour);
      assertEquals(RUNS * 2, byOne + byFour, String.valueOf(executions));
      assertTrue(byOne >= RUNS * 2 * 4 / 10 && byFour >= RUNS * 2 * 4 / 10,
          "each member runs about half, whatever its instance count: " + byOne + " and " + byFour);
    } finally {
      if (vertx != null) {
        get(vertx.close(), 30_000);
      }
      for (MemberProcess child : children) {
        child.stop(10_000);
      }
    }
  }

  /**
   * Registers {@code first} consumers on member 0 and {@code second} on member 1 of a fresh address, sends
   * {@value #SENDS} messages from member 2, and returns how many each member received.
   */
  private static List<Integer> spread(List<Vertx> members, int first, int second) throws Exception {
    String address = "placement.probe." + UUID.randomUUID();
    AtomicInteger[] received = {new AtomicInteger(), new AtomicInteger()};
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    int[] counts = {first, second};
    for (int m = 0; m < 2; m++) {
      AtomicInteger count = received[m];
      for (int i = 0; i < counts[m]; i++) {
        MessageConsumer<Object> consumer = members.get(m).eventBus().consumer(address, message -> {
          count.incrementAndGet();
          message.reply("ok");
        });
        get(consumer.completion(), 30_000);
        consumers.add(consumer);
      }
    }
    // the sender reads the registrations from Hazelcast at its first send to the (fresh) address: all are there
    Vertx sender = members.get(2);
    for (int i = 0; i < SENDS; i++) {
      get(sender.eventBus().request(address, i), 10_000);
    }
    List<Integer> result = List.of(received[0].get(), received[1].get());
    System.out.printf("PlacementIT: %d and %d consumers on two members received %s of %d sends%n", first, second,
        result, SENDS);
    for (MessageConsumer<Object> consumer : consumers) {
      get(consumer.unregister(), 30_000);
    }
    return result;
  }

  private static Path conf(Path dir, int instances) throws Exception {
    Path file = dir.resolve("instances-" + instances + ".json");
    Files.writeString(file, new JsonObject().put("runtime", new JsonObject().put("nodeInstances", instances))
        .encode());
    return file;
  }

  private static <T> T get(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
