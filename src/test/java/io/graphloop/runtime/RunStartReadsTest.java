package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointNotFoundException;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.StoredCheckpoint;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What a run's start reads from the store (issue 18: every read is a statement per run start on PostgreSQL). A run
 * of a caller acting for no owner takes the thread's lock first and reads the thread once (its latest checkpoint with
 * its channels); it used to read the head before the lock and the whole checkpoint again after it. The answers stay
 * those of the read-before-the-lock order: a busy thread with a checkpoint id that is not there is 404, not 423.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class RunStartReadsTest {

  /** Counts the reads of a thread's newest checkpoint. */
  private static final class CountingStore extends ForwardingStore {
    final AtomicInteger latest = new AtomicInteger();
    final AtomicInteger latestStored = new AtomicInteger();

    @Override
    public Future<CheckpointRecord> latest(String threadId) {
      latest.incrementAndGet();
      return super.latest(threadId);
    }

    @Override
    public Future<StoredCheckpoint> latestStored(String threadId) {
      latestStored.incrementAndGet();
      return delegate.latestStored(threadId);
    }
  }

  private static CompiledGraph chain(String name, Promise<Void> hold) {
    return new StateGraph(name)
        .addNode("a", state -> Future.succeededFuture(Map.of("n", state.getInteger("n") + 1)))
        .addNode("b", state -> hold == null ? Future.succeededFuture(Map.of())
            : hold.future().map(v -> Map.<String, Object>of()))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
  }

  @Test
  void aRunOnAThreadReadsItsNewestCheckpointOnceAtItsStart(Vertx vertx, VertxTestContext test) {
    CountingStore store = new CountingStore();
    RunOptions thread = new RunOptions().setThreadId("once").setDurability(Durability.SYNC);
    GraphRuntime.deploy(vertx, chain("reads", null), new GraphRuntimeOptions(), store)
        .compose(runtime -> runtime.client().invoke(Map.of("n", 0), thread)
            .compose(first -> {
              store.latest.set(0);
              store.latestStored.set(0);
              return runtime.client().invoke(Map.of("n", 10), thread);
            }))
        .onComplete(test.succeeding(second -> test.verify(() -> {
          assertEquals(11, second.getInteger("n"));
          assertEquals(1, store.latestStored.get(), "one read of the thread's checkpoint with its channels");
          assertEquals(0, store.latest.get(), "no read of the head before the lock");
          test.completeNow();
        })));
  }

  @Test
  void aBusyThreadStillAnswers404ForACheckpointThatIsNotThereAnd423Otherwise(Vertx vertx, VertxTestContext test) {
    CountingStore store = new CountingStore();
    Promise<Void> hold = Promise.promise();
    RunOptions thread = new RunOptions().setThreadId("busy").setDurability(Durability.SYNC);
    GraphRuntime.deploy(vertx, chain("busy", hold), new GraphRuntimeOptions(), store).compose(runtime -> {
      Future<?> first = runtime.client().invoke(Map.of("n", 0), thread);
      // the first run holds the thread (node b waits) once its first checkpoint is there
      return waitForHead(vertx, store, "busy").compose(v -> runtime.client().invoke(Map.of("n", 1),
              new RunOptions(thread).setCheckpointId("no-such-checkpoint")).transform(Future::succeededFuture))
          .compose(unknown -> runtime.client().invoke(Map.of("n", 1), thread).transform(Future::succeededFuture)
              .map(busy -> {
                hold.complete();
                return Map.entry(unknown, busy);
              }))
          .compose(answers -> first.map(answers));
    }).onComplete(test.succeeding(answers -> test.verify(() -> {
      assertInstanceOf(CheckpointNotFoundException.class, answers.getKey().cause(), "404 whether busy or not");
      GraphloopException busy = assertInstanceOf(GraphloopException.class, answers.getValue().cause());
      assertEquals(FailureCode.THREAD_BUSY, busy.code(), busy.getMessage());
      test.completeNow();
    })));
  }

  private static Future<Void> waitForHead(Vertx vertx, CountingStore store, String threadId) {
    return store.delegate.latest(threadId).compose(latest -> latest != null ? Future.succeededFuture()
        : Future.<Void>future(p -> vertx.setTimer(5, id -> p.complete())).compose(v -> waitForHead(vertx, store,
            threadId)));
  }
}
