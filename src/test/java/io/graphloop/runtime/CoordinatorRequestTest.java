package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the coordinator does with malformed requests and with more runs than it may hold. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class CoordinatorRequestTest {

  private static final String RUN_ADDRESS = "graphloop.requests.run";

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("input is a number", new JsonObject().put("input", 5), "'input'"),
        Arguments.of("recursionLimit is a string",
            new JsonObject().put("options", new JsonObject().put("recursionLimit", "x")), "'recursionLimit'"),
        Arguments.of("recursionLimit is negative",
            new JsonObject().put("options", new JsonObject().put("recursionLimit", -3)), "recursionLimit"),
        Arguments.of("options is a string", new JsonObject().put("options", "fast"), "'options'"),
        Arguments.of("unknown field", new JsonObject().put("input", new JsonObject()).put("inptu", 1), "'inptu'"),
        Arguments.of("body is not JSON", "this is not json", "Bad run request"),
        Arguments.of("body is a number", 42, "JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestIsRejectedWithCode400NamingTheProblem(String why, Object body, String named, Vertx vertx,
                                                       VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, SeedGraph.build("requests", 0))
        .compose(runtime -> vertx.eventBus().request(RUN_ADDRESS, body))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          ReplyException e = assertInstanceOf(ReplyException.class, failure);
          assertEquals(400, e.failureCode());
          assertTrue(e.getMessage().contains(named), e.getMessage());
          assertTrue(e.getMessage().contains("'requests'"), "names the graph: " + e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void badRequestsDoNotDisturbLaterRuns(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, SeedGraph.build("requests", 0))
        .compose(runtime -> {
          Future<?> wrongType = vertx.eventBus().request(RUN_ADDRESS, new JsonObject().put("input", 5));
          Future<?> notJson = vertx.eventBus().request(RUN_ADDRESS, "{not json");
          Future<?> number = vertx.eventBus().request(RUN_ADDRESS, 42);
          return Future.join(wrongType, notJson, number).transform(all -> {
            ctx.verify(() -> {
              assertTrue(wrongType.failed() && notJson.failed() && number.failed());
            });
            return vertx.eventBus().<JsonObject>request(RUN_ADDRESS,
                new JsonObject().put("input", new JsonObject(SeedGraph.input())).encode());
          });
        })
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("success", reply.body().getString("status"));
          assertTrue(reply.body().getJsonObject("values").containsKey("llm_result"));
          ctx.completeNow();
        })));
  }

  @Test
  void runOverTheInFlightLimitIsRejectedAtOnceAsOverloaded(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> gate = Promise.promise();
    Promise<Void> twoInside = Promise.promise();
    AtomicInteger entered = new AtomicInteger();
    StateGraph graph = new StateGraph("overload")
        .addNode("slow", state -> {
          if (entered.incrementAndGet() == 2) {
            twoInside.complete();
          }
          return gate.future().map(open -> Map.of("done", true));
        })
        .addEdge(START, "slow").addEdge("slow", END);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCoordinatorInstances(1).setMaxInFlightRuns(2);
    GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime -> {
      GraphClient client = runtime.client();
      Future<State> first = client.invoke(Map.of());
      Future<State> second = client.invoke(Map.of());
      twoInside.future()
          .compose(v -> client.invoke(Map.of()))
          .onComplete(ctx.failing(failure -> ctx.verify(() -> {
            GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
            assertEquals(FailureCode.OVERLOADED, e.code());
            assertEquals(503, e.code().code());
            assertTrue(e.getMessage().contains("maxInFlightRuns 2"), e.getMessage());
            assertFalse(first.isComplete() || second.isComplete(), "rejected while the two runs were in flight");
            gate.complete();
            Future.all(first, second)
                .compose(both -> client.invoke(Map.of()))
                .onComplete(ctx.succeeding(later -> ctx.verify(() -> {
                  assertEquals(true, later.getBoolean("done"));
                  assertEquals(3, entered.get(), "the rejected run never reached a node");
                  ctx.completeNow();
                })));
          })));
    }));
  }
}
