package io.graphloop.graph;

import java.util.function.Supplier;

/**
 * The {@link NodeContext} of the node whose code runs on the current thread, while the runtime calls the node's
 * function: so that a chat model invoked in a node's body streams its chunks in the run's {@code messages} mode
 * without being handed the context (LangGraph finds its stream handler through the config in the same way). Code that
 * runs later in a callback of the node (after a future completes) sees no current node; pass the context explicitly
 * there ({@code ChatModel.invoke(messages, request, ctx)}).
 *
 * <p>Thread rules: a thread-local, set and cleared by the runtime on the thread that calls the node (its event loop, a
 * worker or its virtual thread); {@link #get()} may be called from any thread and sees only its own thread's value.
 */
public final class CurrentNode {

  private static final ThreadLocal<NodeContext> CURRENT = new ThreadLocal<>();

  private CurrentNode() {
  }

  /** The node whose function the current thread is running, or null. */
  public static NodeContext get() {
    return CURRENT.get();
  }

  /** Runs {@code body} with {@code ctx} as the current node (for the runtime, and for tests of node code). */
  public static <T> T with(NodeContext ctx, Supplier<T> body) {
    NodeContext before = CURRENT.get();
    CURRENT.set(ctx);
    try {
      return body.get();
    } finally {
      CURRENT.set(before); // (not remove(): the slot is reused by the thread's next node, once per step)
    }
  }

  /** As {@link #with(NodeContext, Supplier)}, for a body that may throw a checked exception. */
  public static <T> T call(NodeContext ctx, java.util.concurrent.Callable<T> body) throws Exception {
    NodeContext before = CURRENT.get();
    CURRENT.set(ctx);
    try {
      return body.call();
    } finally {
      CURRENT.set(before); // (not remove(): the slot is reused by the thread's next node, once per step)
    }
  }
}
