package io.graphloop.graph;

import java.util.Objects;

/**
 * Graph-wide defaults for every node (LangGraph 1.2.12's {@code StateGraph.set_node_defaults}), given to
 * {@link StateGraph#setNodeDefaults(NodeDefaults)} and applied when the graph is compiled, whenever it was called
 * relative to {@code addNode}. A node's own value always wins.
 *
 * <ul>
 *   <li>{@code retry}: the retry policy of every node that sets none of its own ({@link NodeOptions#setRetry} not
 *       called), error handlers included (a handler is retried on transient failures as any node); {@code null}
 *       (the default) for none.</li>
 *   <li>{@code cachePolicy}: the cache policy of every node that sets none of its own
 *       ({@link NodeOptions#setCachePolicy} not called), error handlers excepted (a handler's input is the failed
 *       node's, which may differ across failures under one key); {@code null} (the default) for none. It caches only
 *       where the graph is compiled with a cache ({@link StateGraph#compile(io.graphloop.cache.NodeCache)}).</li>
 *   <li>{@code errorHandler}: the handler of every node that has no handler of its own
 *       ({@link StateGraph#errorHandler}); handlers themselves are never handled (a handler's failure fails the run).
 *       It runs as the node {@link StateGraph#DEFAULT_ERROR_HANDLER} ({@code __default_error_handler__}), so no
 *       node of the graph may have that name. {@code null} (the default) for none.</li>
 * </ul>
 *
 * <p>The per-node timeout default is the deployment's ({@code GraphRuntimeOptions.setNodeTimeoutMs}), not the
 * graph's. A node that failed is never cached, so with a cache-policy default its error handler runs again on the
 * next run with the same input (LangGraph 1.2.12 caches such a node as a task with no writes: see
 * LANGGRAPH-DIFFERENCES.md).
 *
 * <p>Mutable while being built; the graph copies it when it is set. Not thread-safe.
 */
public final class NodeDefaults {

  private RetryPolicy retry;
  private CachePolicy cachePolicy;
  private NodeKind handlerKind;
  private AsyncNode asyncHandler;
  private BlockingNode blockingHandler;

  public NodeDefaults() {
  }

  public NodeDefaults(NodeDefaults other) {
    this.retry = other.retry;
    this.cachePolicy = other.cachePolicy;
    this.handlerKind = other.handlerKind;
    this.asyncHandler = other.asyncHandler;
    this.blockingHandler = other.blockingHandler;
  }

  /** The default retry policy, or {@code null} for none. */
  public RetryPolicy getRetry() {
    return retry;
  }

  /** The retry policy of every node without one of its own, error handlers included; {@code null} for none. */
  public NodeDefaults setRetry(RetryPolicy retry) {
    this.retry = retry;
    return this;
  }

  /** The default cache policy, or {@code null} for none. */
  public CachePolicy getCachePolicy() {
    return cachePolicy;
  }

  /**
   * The cache policy of every node without one of its own, error handlers excepted (LangGraph's
   * {@code set_node_defaults(cache_policy=...)}); {@code null} for none.
   */
  public NodeDefaults setCachePolicy(CachePolicy cachePolicy) {
    this.cachePolicy = cachePolicy;
    return this;
  }

  /** The error handler of every node without one of its own (an async node reading {@link NodeContext#nodeError()}). */
  public NodeDefaults errorHandler(AsyncNode handler) {
    this.handlerKind = NodeKind.ASYNC;
    this.asyncHandler = Objects.requireNonNull(handler, "handler");
    this.blockingHandler = null;
    return this;
  }

  /** {@link #errorHandler(AsyncNode)} for a handler in blocking style; it runs on a worker thread. */
  public NodeDefaults blockingErrorHandler(BlockingNode handler) {
    this.handlerKind = NodeKind.BLOCKING;
    this.blockingHandler = Objects.requireNonNull(handler, "handler");
    this.asyncHandler = null;
    return this;
  }

  /** Whether an error handler is set. */
  public boolean hasErrorHandler() {
    return handlerKind != null;
  }

  NodeKind handlerKind() {
    return handlerKind;
  }

  AsyncNode asyncHandler() {
    return asyncHandler;
  }

  BlockingNode blockingHandler() {
    return blockingHandler;
  }
}
