package io.graphloop.func;

import io.graphloop.graph.NodeContext;
import io.vertx.core.Future;

/**
 * What an entrypoint and its tasks see while they run: everything a node's {@link NodeContext} offers (its
 * {@code interrupt}, {@code emit}, config, Vert.x, HTTP clients, store), plus {@link #call} to run a task and
 * {@link #previous()}, the value the thread's last run saved.
 *
 * <p>Thread rules: the entrypoint's event loop runs the entrypoint and its async tasks; blocking tasks run on a
 * worker thread. {@link #call} may be called from either; its future completes on the entrypoint's context.
 */
public interface FunctionContext extends NodeContext {

  /**
   * Runs {@code task} with {@code input} and returns a future of its result (LangGraph's {@code task(...)} future).
   * Each call has a deterministic id: the entrypoint's task id and the call's place among the calls this execution
   * makes (so an entrypoint must make its calls in the same order when it runs again, as in LangGraph). When that
   * call's result is already stored on the thread (the entrypoint resumes after an interrupt or a crash, or is
   * retried), the future holds it and the task does not run; otherwise the task runs, and its result is stored (on a
   * thread) and streamed as an {@code updates} chunk {@code {task: result}} before the future completes. A task's
   * failure or interrupt fails the future (let an interrupt propagate: the run stops as interrupted).
   *
   * <p>Results are JSON-compatible values (a map, list, string, number, boolean or {@code null}; a record or bean
   * becomes a map), the same whether the task ran or its stored result came back.
   */
  <I, O> Future<O> call(Task<I, O> task, I input);

  /**
   * The value the thread's last run saved (its output, or the {@code save} of a {@link Final}); {@code null} on a
   * thread's first run and without a thread (LangGraph's {@code previous} parameter).
   */
  Object previous();
}
