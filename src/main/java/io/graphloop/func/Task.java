package io.graphloop.func;

import io.vertx.core.Future;

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

  private Task(String name, Body<I, O> async, BlockingBody<I, O> blocking) {
    this.name = checkName(name);
    this.async = async;
    this.blocking = blocking;
  }

  /** An async task named {@code name} (its name in streams and on the thread). */
  public static <I, O> Task<I, O> of(String name, Body<I, O> body) {
    return new Task<>(name, Objects.requireNonNull(body, "body"), null);
  }

  /** A task named {@code name} whose function blocks: it runs on a worker thread. */
  public static <I, O> Task<I, O> blocking(String name, BlockingBody<I, O> body) {
    return new Task<>(name, null, Objects.requireNonNull(body, "body"));
  }

  /** The task's name. */
  public String name() {
    return name;
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
