package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs sent from a verticle keep working after the verticle that first ran a graph on the same event loop is
 * undeployed (issue 11, item 4: the loop's outcome consumer and timer belonged to that verticle, so later calls from
 * the loop never completed nor timed out). One event loop, so every verticle shares it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientRedeployTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static CompiledGraph increment(String name) {
    return new StateGraph(name)
        .addNode("inc", (state, c) -> c.vertx().timer(5).map(t -> Map.of("n", state.getInteger("n") + 1)))
        .addEdge(START, "inc").addEdge("inc", END).compile();
  }

  private static CompiledGraph hanging(String name) {
    return new StateGraph(name)
        .addNode("hang", state -> Promise.promise().future())
        .addEdge(START, "hang").addEdge("hang", END).compile();
  }

  /** A verticle whose start runs {@code work} and holds its result; its context is the run's caller. */
  private static final class Caller<T> extends VerticleBase {
    private final Supplier<Future<T>> work;
    private final Promise<T> result = Promise.promise();
    private volatile io.vertx.core.Context callbackContext;

    Caller(Supplier<Future<T>> work) {
      this.work = work;
    }

    io.vertx.core.Context ownContext() {
      return context;
    }

    @Override
    public Future<?> start() {
      work.get().onComplete(done -> {
        callbackContext = Vertx.currentContext();
        result.handle(done);
      });
      return Future.succeededFuture();
    }
  }

  private <T> Caller<T> deploy(Supplier<Future<T>> work) throws Exception {
    Caller<T> caller = new Caller<>(work);
    vertx.deployVerticle(caller).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return caller;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void runsFromALaterVerticleCompleteAfterTheFirstCallerIsUndeployed() throws Exception {
    GraphClient client = await(GraphRuntime.deploy(vertx, increment("redeploy-inc"))).client();
    for (int round = 0; round < 3; round++) {
      int n = round * 10;
      Caller<State> caller = deploy(() -> client.invoke(Map.of("n", n)));
      assertEquals(n + 1, await(caller.result.future()).getInteger("n"));
      assertSame(caller.ownContext(), caller.callbackContext, "the caller's callbacks run on the caller's context");
      await(vertx.undeploy(caller.deploymentID()));
    }
    Caller<List<State>> batch = deploy(() -> client.batch(List.of(Map.of("n", 1), Map.of("n", 2)), new RunOptions(),
        2));
    assertEquals(List.of(2, 3), await(batch.result.future()).stream().map(s -> s.getInteger("n")).toList());
  }

  @Test
  void aLaterVerticlesRunStillTimesOutAfterTheFirstCallerIsUndeployed() throws Exception {
    GraphClient client = await(GraphRuntime.deploy(vertx, increment("redeploy-first"))).client();
    await(GraphRuntime.deploy(vertx, hanging("redeploy-hang")));
    GraphClient hang = GraphClient.create(vertx, "redeploy-hang");
    // arms the loop's timer for 2 s + REPLY_GRACE_MS; the later waits below end later, so they do not re-arm it
    Caller<State> first = deploy(() -> client.invoke(Map.of("n", 1), new RunOptions().setTimeoutMs(2_000)));
    assertEquals(2, await(first.result.future()).getInteger("n"));
    await(vertx.undeploy(first.deploymentID()));
    Caller<State> later = deploy(() -> hang.invoke(Map.of(), new RunOptions().setTimeoutMs(200)));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(later.result.future()));
    // the coordinator's answer reached the loop's consumer: the run's own RunTimeoutException, not the client's wait
    RunTimeoutException e = assertInstanceOf(RunTimeoutException.class, failed.getCause());
    assertEquals(200, e.timeoutMs(), e.getMessage());
    assertNotSame(first.ownContext(), later.callbackContext);

    // a coordinator that never answers: only the client's own timer can end the wait (deadline + REPLY_GRACE_MS)
    vertx.eventBus().consumer(io.graphloop.protocol.Addresses.run("redeploy-silent"), message -> { });
    GraphClient silent = GraphClient.create(vertx, "redeploy-silent");
    Caller<State> unanswered = deploy(() -> silent.invoke(Map.of(), new RunOptions().setTimeoutMs(3_000)));
    ExecutionException waited = assertThrows(ExecutionException.class, () -> await(unanswered.result.future()));
    assertEquals(FailureCode.TIMEOUT, assertInstanceOf(GraphloopException.class, waited.getCause()).code());
  }
}
