package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A foreign verticle on the same bus tries to take over other callers' runs: it hosts one node of the graph (a
 * hostile worker), so it sees that node's requests (run ids, the coordinator's results address, correlation ids),
 * and forges results for the requests it did not receive, as a member of a shared bus could. Graphloop must apply
 * only the results of the attempts it asked for; the forged ones are dropped and counted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SpoofingTest {

  private static final int RUNS = 40;

  /** {@code scout} is hosted by the attacker; {@code work} by Graphloop, slow enough to be forged while in flight. */
  private static CompiledGraph graph(String name) {
    return new StateGraph(name)
        .addNode("scout", state -> Future.succeededFuture(Map.of("scouted", "by the graph")))
        .addNode("work", (state, ctx) -> ctx.vertx().timer(300)
            .map(t -> Map.of("work", "real " + state.getString("id"))))
        .addEdge(START, "scout")
        .addEdge("scout", "work")
        .addEdge("work", END)
        .compile();
  }

  @Test
  void forgedNodeResultsAreDroppedAndCountedAndEveryRunEndsWithItsRealResult(Vertx vertx, VertxTestContext test) {
    String name = "spoof-results";
    Attacker attacker = new Attacker(name);
    vertx.deployVerticle(attacker)
        .compose(deployed -> GraphRuntime.deploy(vertx, graph(name), new GraphRuntimeOptions()
            .setNodes(List.of("work"))))
        .compose(runtime -> {
          List<Future<State>> runs = new ArrayList<>();
          for (int i = 0; i < RUNS; i++) {
            runs.add(runtime.client().invoke(Map.of("id", "r" + i), new RunOptions().setTimeoutMs(30_000)));
          }
          return Future.join(runs).map(all -> {
            test.verify(() -> {
              for (int i = 0; i < RUNS; i++) {
                State state = runs.get(i).result();
                assertEquals("real r" + i, state.getString("work"), "run r" + i + " took a forged result: " + state);
                assertEquals("by the attacker's real answer", state.getString("scouted"), state.toString());
              }
              assertEquals(RUNS, attacker.requests.get(), "the attacker hosted scout for every run");
              assertTrue(attacker.forgeries.get() > RUNS * 100, "it forged many results: " + attacker.forgeries);
              assertTrue(runtime.metrics().forgedResults() >= RUNS,
                  "the replayed ids with a wrong tag are counted: " + runtime.metrics().toJson());
              assertTrue(runtime.metrics().lateResults() > 0, "the guessed ids are counted: "
                  + runtime.metrics().toJson());
            });
            return runtime;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /**
   * Hosts {@code scout}. For each request it first sends a result with the request's correlation id but another tag
   * (a replay with a guessed tag), then its real answer, and 100 ms later, while the run's {@code work} request is
   * in flight, a forged {@code work} result for every correlation id within 64 of the one it saw (with and without
   * its tag), as JSON, the form any member of a clustered bus can send.
   */
  private static final class Attacker extends VerticleBase {
    private final String graph;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger forgeries = new AtomicInteger();

    Attacker(String graph) {
      this.graph = graph;
    }

    @Override
    public Future<?> start() {
      EventBus bus = vertx.eventBus();
      return bus.consumer("graphloop." + graph + ".node.scout", message -> {
        requests.incrementAndGet();
        Object body = message.body();
        JsonObject request = body instanceof NodeRequest ? ((NodeRequest) body).toJson() : (JsonObject) body;
        String replyTo = request.getString("replyTo");
        Object correlation = request.getValue("correlation");
        bus.send(replyTo, new JsonObject().put("correlation", otherTag(correlation))
            .put("reply", new JsonObject().put("update", new JsonObject().put("scouted", "forged"))));
        bus.send(replyTo, new JsonObject().put("correlation", correlation)
            .put("reply", new JsonObject().put("update", new JsonObject().put("scouted",
                "by the attacker's real answer"))));
        vertx.setTimer(100, t -> {
          for (long d = -64; d <= 64; d++) {
            for (Object guess : guesses(correlation, d)) {
              forgeries.incrementAndGet();
              bus.send(replyTo, new JsonObject().put("correlation", guess)
                  .put("reply", new JsonObject().put("update", new JsonObject().put("work", "forged"))));
            }
          }
        });
      }).completion();
    }

    /** The same id with its tag changed (the key part kept); a numeric id as it is. */
    private static Object otherTag(Object correlation) {
      if (correlation instanceof String) {
        String text = (String) correlation;
        char first = text.charAt(0) == '0' ? '1' : '0';
        return first + text.substring(1);
      }
      return correlation;
    }

    /** Ids near the one seen: a counter plus {@code d}; for a tagged id, its key plus {@code d}, with its tag or 0. */
    private static List<Object> guesses(Object correlation, long d) {
      if (correlation instanceof Number) {
        return List.of(((Number) correlation).longValue() + d);
      }
      String text = (String) correlation;
      long key = Long.parseUnsignedLong(text.substring(16), 16) + d;
      return List.of(text.substring(0, 16) + String.format("%016x", key), key);
    }
  }
}
