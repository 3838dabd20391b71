package io.graphloop.func;

import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.RetryPolicy;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;

/**
 * A unit of work an {@link Entrypoint} calls through {@link FunctionContext#call} (LangGraph's {@code @task}): a
 * name and a function from an input to a result. An async task runs on the entrypoint's event loop and must not
 * block; a {@linkplain #blocking blocking} one runs on a worker thread. A task may call other tasks and
 * {@code interrupt} through the context it is given.
 *
 * <p>Immutable and thread-safe; the function must be thread-safe.
 *
 * @param <I> the input type
 * @param <O> the result type (JSON-compatible: see {@link FunctionContext#call})
 */
public final class Task<I, O> {

  /** An async task's function. */
  @FunctionalInterface
  public interface Body<I, O> {
    /** Starts the task; a thrown exception or a failed future fails it. */
    Future<O> apply(I input, FunctionContext context) throws Exception;
  }

  /** A blocking task's function (runs on a worker thread). */
  @FunctionalInterface
  public interface BlockingBody<I, O> {
    /** Runs the task; a thrown exception fails it. */
    O apply(I input, FunctionContext context) throws Exception;
  }

  private final String name;
  private final Body<I, O> async;
  private final BlockingBody<I, O> blocking;
  private final RetryPolicy retry;
  private final CachePolicy cache;
  private final io.graphloop.graph.TimeoutPolicy timeout;

  private Task(String name, Body<I, O> async, BlockingBody<I, O> blocking, RetryPolicy retry, CachePolicy cache,
               io.graphloop.graph.TimeoutPolicy timeout) {
    this.name = checkName(name);
    this.async = async;
    this.blocking = blocking;
    this.retry = retry;
    this.cache = cache;
    this.timeout = timeout;
  }

  /** An async task named {@code name} (its name in streams and on the thread). */
  public static <I, O> Task<I, O> of(String name, Body<I, O> body) {
    return new Task<>(name, Objects.requireNonNull(body, "body"), null, null, null, null);
  }

  /** A task named {@code name} whose function blocks: it runs on a worker thread. */
  public static <I, O> Task<I, O> blocking(String name, BlockingBody<I, O> body) {
    return new Task<>(name, null, Objects.requireNonNull(body, "body"), null, null, null);
  }

  /**
   * This task retried by {@code policy} (LangGraph's {@code @task(retry_policy=...)}): a failed attempt (a failure
   * or a {@linkplain #withTimeout timeout}; never an interrupt) that the policy retries runs again after its delay;
   * the call fails with the last attempt's failure. Without one a task is not retried (its entrypoint may be, by the
   * entrypoint's own {@code NodeOptions}).
   */
  public Task<I, O> withRetry(RetryPolicy policy) {
    return new Task<>(name, async, blocking, Objects.requireNonNull(policy, "policy"), cache, timeout);
  }

  /**
   * This task's results cached by {@code policy} (LangGraph's {@code @task(cache_policy=...)}): a call whose key
   * (the input's, or what the policy's key function returns; it receives a state whose {@code arg()} is the input) is
   * in the graph's node cache returns the cached result without running, on any thread; a completed call stores its
   * result there, for the policy's time to live. Needs a graph with a node cache (the runtime's {@code nodeCache}
   * option, or {@code CompiledGraph.withCache}); without one the policy has no effect.
   */
  public Task<I, O> withCache(CachePolicy policy) {
    return new Task<>(name, async, blocking, retry, Objects.requireNonNull(policy, "policy"), timeout);
  }

  /**
   * This task with a time limit per attempt (LangGraph's {@code @task(timeout=...)}): an attempt still running after
   * {@code timeout} fails with a {@code NodeTimeoutException} naming the task (its result, if it comes later, is
   * dropped), which the {@linkplain #withRetry retry policy} may retry. As in LangGraph, only an async task takes one:
   * a blocking task's worker thread cannot be stopped safely.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive, or this task is a blocking one
   */
  public Task<I, O> withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout of task '" + name + "' must be positive, was " + timeout);
    }
    return withTimeout(io.graphloop.graph.TimeoutPolicy.run(Math.max(1, timeout.toMillis())));
  }

  /**
   * This task with a {@link io.graphloop.graph.TimeoutPolicy} per attempt (LangGraph's
   * {@code @task(timeout=TimeoutPolicy(...))}): a run timeout as {@link #withTimeout(Duration)}, and an idle timeout
   * that the task's progress refreshes: its custom events, message chunks and heartbeats through the
   * {@link FunctionContext} it is given (and, under {@code RefreshOn.HEARTBEAT}, only its heartbeats). Progress of a
   * task refreshes its entrypoint's idle timeout too, not the other way round. An attempt past either limit fails with
   * a {@code NodeTimeoutException} naming the task and its kind.
   *
   * @throws IllegalArgumentException when {@code policy} is null, or this task is a blocking one
   */
  public Task<I, O> withTimeout(io.graphloop.graph.TimeoutPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("the timeout policy of task '" + name + "' must not be null (give none for "
          + "no time limit)");
    }
    if (blocking != null) {
      throw new IllegalArgumentException("Task timeouts are only supported for async tasks (Task.of) because a "
          + "blocking task's worker thread cannot be stopped safely; task '" + name + "' is blocking.");
    }
    return new Task<>(name, async, blocking, retry, cache, policy);
  }

  /** The task's name. */
  public String name() {
    return name;
  }

  /** Its retry policy, or {@code null} for none. */
  public RetryPolicy retryPolicy() {
    return retry;
  }

  /** Its cache policy, or {@code null} for none. */
  public CachePolicy cachePolicy() {
    return cache;
  }

  /** Its run timeout per attempt, or {@code null} for none (see {@link #timeoutPolicy()} for the idle timeout). */
  public Duration timeout() {
    return timeout == null || timeout.runTimeoutMs() == 0 ? null : Duration.ofMillis(timeout.runTimeoutMs());
  }

  /** Its timeout policy per attempt, or {@code null} for none. */
  public io.graphloop.graph.TimeoutPolicy timeoutPolicy() {
    return timeout;
  }

  /** Runs the task once (no stored result is looked up here: see {@link FunctionContext#call}). */
  Future<O> run(I input, FunctionContext context) {
    if (blocking != null) {
      return context.vertx().executeBlocking(() -> blocking.apply(input, context), false);
    }
    try {
      Future<O> started = async.apply(input, context);
      return started != null ? started : Future.failedFuture(new IllegalStateException("Task '" + name
          + "' returned a null future; return Future.succeededFuture(null) for no result."));
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.startsWith("__") || !name.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("A task or entrypoint name must be letters, digits, '_', '-' or '.' and not "
          + "start with \"__\" (reserved); got \"" + name + "\".");
    }
    return name;
  }
}
