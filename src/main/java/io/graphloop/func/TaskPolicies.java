package io.graphloop.func;

import io.graphloop.cache.CacheKey;
import io.graphloop.cache.NodeCache;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;

/**
 * A task call's policies around its attempts (LangGraph's {@code @task(retry_policy=..., cache_policy=...,
 * timeout=...)}): the cache lookup before it runs and the store after, the retries, the time limit of each attempt.
 * The retry decision is the {@link RetryPolicy}'s; the delay and the time limit are Vert.x timers on the calling
 * thread's context, so nothing here blocks.
 *
 * <p>Stateless; thread-safe.
 */
final class TaskPolicies {

  private static final System.Logger LOG = System.getLogger("io.graphloop.func.TaskPolicies");

  /** The key a cached task's result is stored under in its cache entry (LangGraph's {@code __return__} write). */
  static final String RETURN = "__return__";

  private TaskPolicies() {
  }

  /** A call's result, and whether it came from the node cache. */
  record Result(Object value, boolean cached) {
  }

  /**
   * The call's result: from the graph's node cache when the task has a cache policy and its key is there, else from
   * its attempts, then stored in the cache (a cache that fails is logged and passed over: it only saves work).
   */
  static <I, O> Future<Result> cached(CallScope scope, Task<I, O> task, I input, String id) {
    NodeCache cache = task.cachePolicy() == null ? null : scope.functionCalls().cache();
    if (cache == null) {
      return retried(scope, task, input, id, 1).map(value -> new Result(value, false));
    }
    CacheKey key;
    try {
      key = keyOf(scope.nodeContext(), task, input);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return safely(() -> cache.get(key)).transform(found -> {
      if (found.failed()) {
        LOG.log(System.Logger.Level.WARNING, "Could not read the cached result of task '" + task.name() + "' from the "
            + cache.describe() + " (the task runs instead): " + found.cause().getMessage(), found.cause());
      } else if (found.result() != null && found.result().containsKey(RETURN)) {
        return Future.succeededFuture(new Result(found.result().get(RETURN), true));
      }
      return retried(scope, task, input, id, 1).compose(result -> {
        Map<String, Object> writes = new java.util.HashMap<>();
        writes.put(RETURN, result);
        return safely(() -> cache.set(key, writes, task.cachePolicy().ttl())).transform(stored -> {
          if (stored.failed()) {
            LOG.log(System.Logger.Level.WARNING, "Could not store the result of task '" + task.name() + "' in the "
                + cache.describe() + ": " + stored.cause().getMessage(), stored.cause());
          }
          return Future.succeededFuture(new Result(result, false));
        });
      });
    });
  }

  /** Attempt {@code attempt} and, when it fails and the retry policy says so, the next ones after their delays. */
  private static <I, O> Future<Object> retried(CallScope scope, Task<I, O> task, I input, String id, int attempt) {
    return scope.attempt(task, input, id, attempt).recover(failure -> {
      RetryPolicy policy = task.retryPolicy();
      long delay = policy == null || failure instanceof GraphInterrupt ? RetryPolicy.NO_RETRY
          : policy.nextDelayMs(attempt, failure);
      if (delay == RetryPolicy.NO_RETRY) {
        return Future.failedFuture(failure);
      }
      Promise<Object> next = Promise.promise();
      scope.vertx().setTimer(Math.max(1, delay), timer -> retried(scope, task, input, id, attempt + 1)
          .onComplete(next));
      return next.future();
    });
  }

  /**
   * Runs attempt {@code attempt} of {@code task} in {@code scope} under the task's timeout policy: failed with a
   * {@link NodeTimeoutException} naming the task when it runs past its run timeout, or goes past its idle timeout
   * without progress in {@code scope}.
   */
  static <I, O> Future<O> limited(NodeContext node, Task<I, O> task, CallScope scope, I input, int attempt) {
    Promise<O> limited = Promise.promise();
    io.graphloop.graph.TimeoutPolicy policy = task.timeoutPolicy();
    int attempts = task.retryPolicy() == null ? 1 : task.retryPolicy().maxAttempts();
    long started = System.nanoTime();
    long timer = policy.runTimeoutMs() == 0 ? -1 : node.vertx().setTimer(policy.runTimeoutMs(),
        id -> limited.tryFail(new NodeTimeoutException(node.graph(), node.runId(), node.step(), task.name(), attempt,
            attempts, NodeTimeoutException.Kind.RUN, policy.runTimeoutMs(), policy.idleTimeoutMs(),
            (System.nanoTime() - started) / 1_000_000L)));
    io.graphloop.internal.timing.IdleDeadline idle = policy.idleTimeoutMs() == 0 ? null
        : io.graphloop.internal.timing.IdleDeadline.start(node.vertx(), policy.idleTimeoutMs(),
        policy.refreshOn() == io.graphloop.graph.TimeoutPolicy.RefreshOn.HEARTBEAT,
        elapsed -> limited.tryFail(new NodeTimeoutException(node.graph(), node.runId(), node.step(), task.name(),
            attempt, attempts, NodeTimeoutException.Kind.IDLE, policy.runTimeoutMs(), policy.idleTimeoutMs(),
            elapsed)));
    scope.idle(idle);
    Future<O> run = task.run(input, scope);
    run.onComplete(done -> {
      if (timer >= 0) {
        node.vertx().cancelTimer(timer);
      }
      if (idle != null) {
        idle.stop();
      }
      if (done.succeeded()) {
        limited.tryComplete(done.result());
      } else {
        limited.tryFail(done.cause());
      }
    });
    return limited.future();
  }

  /** The cache entry of a call of {@code task} with {@code input}: the task's namespace and the input's key. */
  private static <I, O> CacheKey keyOf(NodeContext node, Task<I, O> task, I input) {
    Object key;
    if (task.cachePolicy().keyFunction() == null) {
      key = input == null ? "null" : input;
    } else {
      Map<String, Object> arg = new java.util.HashMap<>();
      arg.put(State.SEND_ARG, input);
      try {
        key = task.cachePolicy().keyFunction().key(State.of(arg));
      } catch (Exception e) {
        throw new IllegalStateException("The cache key function of task '" + task.name() + "' failed: " + e, e);
      }
    }
    try {
      return new CacheKey(CacheKey.taskNamespace(node.graph(), task.name()), CacheKey.digestOf(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The cache key of task '" + task.name() + "': " + e.getMessage(), e);
    }
  }

  private static <T> Future<T> safely(java.util.function.Supplier<Future<T>> operation) {
    try {
      Future<T> future = operation.get();
      return future == null ? Future.failedFuture(new IllegalStateException("the cache returned no future")) : future;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
