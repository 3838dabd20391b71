package io.graphloop.graph;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.util.Map;

/**
 * What a running node knows about its execution: where it runs (graph, run, step, attempt) and the
 * {@link Vertx} instance whose event loop (async nodes) or worker pool (blocking nodes) runs it.
 *
 * <p>A context belongs to one node execution. It is immutable and may be read from any thread.
 */
public interface NodeContext {

  /** The graph's name. */
  String graph();

  /** The run's id. */
  String runId();

  /** The superstep this execution belongs to (0 is the first step after the input). */
  int step();

  /** The node's name. */
  String node();

  /** The attempt, counting from 1. */
  int attempt();

  /** The attempts the node's retry policy allows in all. */
  int maxAttempts();

  /**
   * The steps the run may still take after this one before its recursion limit stops it (LangGraph's
   * {@code RemainingSteps} managed value): 0 on the last step after which the run can still end without a
   * recursion error. {@code create_react_agent} stops asking for
   * tools when fewer than 2 remain. {@code Integer.MAX_VALUE} when unknown.
   */
  default int remainingSteps() {
    return Integer.MAX_VALUE;
  }

  /** The run's configuration ({@code RunOptions.setConfig}, LangGraph's {@code configurable}); immutable. */
  Map<String, Object> config();

  /**
   * In an error handler ({@link StateGraph#errorHandler(String, AsyncNode)}, {@link NodeDefaults#errorHandler}): the
   * failure it handles (LangGraph's {@code error: NodeError} parameter); in any other node, {@code null}.
   */
  default NodeError nodeError() {
    Object context = config().get(NodeError.CONFIG_KEY);
    return context instanceof Map ? NodeError.fromMap((Map<?, ?>) context) : null;
  }

  /**
   * The run's thread id (LangGraph's {@code config["configurable"]["thread_id"]}); a node of a subgraph sees its root
   * thread, as in LangGraph. {@code null} for a run without a thread. Carried in the node's request: the same for a
   * node on another JVM.
   */
  default String threadId() {
    return null;
  }

  /**
   * This task's checkpoint namespace (LangGraph's {@code config["configurable"]["checkpoint_ns"]}): {@code node:<uuid>}
   * with the uuid derived from the task's id, under its run's namespace with {@code "|"} in a subgraph on a thread
   * ({@code outer:<uuid>|inner:<uuid>}). Never null. Carried in the node's request.
   */
  default String checkpointNs() {
    return executionInfo().checkpointNs();
  }

  /**
   * What this attempt knows of its execution (LangGraph's {@code runtime.execution_info}): checkpoint id and
   * namespace, task id, thread, run, attempt and when the task's first attempt started. Carried in the node's
   * request, so the same for a node on another JVM. The default (a context that is not the runtime's) knows the run,
   * attempt and node only.
   */
  default ExecutionInfo executionInfo() {
    return new ExecutionInfo(null, node() + ":", "", threadId(), runId(), attempt(), 0);
  }

  /**
   * Tells the runtime this attempt is making progress (LangGraph's {@code runtime.heartbeat()}): refreshes the
   * attempt's idle timeout ({@link TimeoutPolicy}), in either refresh mode; never refreshes the run timeout. A no-op
   * for an attempt without an idle timeout. Cheap (one clock read and a volatile write), safe from any thread.
   */
  default void heartbeat() {
  }

  /**
   * Emits {@code payload} (JSON-compatible: a map, a string, a number, ...) on the run's stream as a
   * {@code custom} event (LangGraph's {@code get_stream_writer()}), e.g. progress or model tokens. A no-op when
   * nobody streams the run's custom events. Safe to call from the node's event loop and from worker threads.
   */
  void emit(Object payload);

  /**
   * Whether the run streams the {@code messages} mode (LangGraph's {@code stream_mode="messages"}): then a chat model
   * called by this node streams its answer and {@link #emitMessage} sends each chunk. False when nobody listens.
   */
  default boolean streamsMessages() {
    return false;
  }

  /**
   * Emits {@code message} on the run's {@code messages} stream: a chunk of a chat model's answer (LangChain's
   * {@code AIMessageChunk} JSON, e.g. an {@code io.graphloop.agents.AiMessageChunk}) or a whole message, with the
   * chunk's model metadata ({@code ls_provider}, {@code ls_model_name}, ...; may be empty). The event's metadata adds
   * the node, step, path and thread as LangGraph's. A chat model invoked inside the node calls this for you; call it
   * yourself for a model of your own. A no-op when the run does not stream messages ({@link #streamsMessages()}).
   *
   * <p>Never dropped silently. The returned future completes once the chunk is on its way to the run's coordinator;
   * while the execution already has {@code maxPendingEmits} events on their way it waits: a blocking or
   * virtual-thread node's call blocks until there is room, an async node's chunk is queued (up to
   * {@code maxPendingEmits} more) and its future completes when it is sent: stop producing until then (a chat model
   * pauses reading its HTTP response). A chunk past that queue is refused: the future fails saying so. Safe to call
   * from the node's event loop and from worker threads.
   *
   * @throws IllegalArgumentException when {@code message} is not JSON-compatible or has no {@code type}
   */
  default io.vertx.core.Future<Void> emitMessage(Object message, Map<String, Object> metadata) {
    return io.vertx.core.Future.succeededFuture();
  }

  /** {@link #emitMessage(Object, Map)} without model metadata. */
  default io.vertx.core.Future<Void> emitMessage(Object message) {
    return emitMessage(message, Map.of());
  }

  /**
   * Opens a trace span named {@code name} under this execution's span, e.g. around a call to a model or another
   * service (OpenAiChatModel opens one per call); {@link TraceSpan#NONE} when the run is not traced. End it once.
   */
  default TraceSpan startSpan(String name) {
    return TraceSpan.NONE;
  }

  /** The node running on the current thread (see {@link CurrentNode}), or null. */
  static NodeContext current() {
    return CurrentNode.get();
  }

  /**
   * Pauses the run for a person's answer (LangGraph's {@code interrupt}): the first time, it throws a
   * {@code GraphInterrupt} carrying {@code payload} (let it propagate: the run stops as interrupted and reports the
   * payload); when the thread is resumed with {@code Command.resume(value)}, the node runs again from its start and
   * this call returns {@code value}. A node may interrupt several times; resume values answer them in order. Needs
   * a run on a thread (a checkpointer), so the answer can find its way back.
   */
  Object interrupt(Object payload);

  /**
   * The task calls of this execution when the node is an entrypoint of the functional API ({@code io.graphloop.func}):
   * for the runtime and {@code FunctionContext}, not for nodes. By default, calls with nothing stored.
   */
  default FunctionCalls functionCalls() {
    return FunctionCalls.local(runId() + ":" + step() + ":" + node());
  }

  /** The Vert.x instance hosting the node; use it for timers and {@code executeBlocking}. */
  Vertx vertx();

  /**
   * A future that completes with {@code value} once {@code delayMs} milliseconds have passed, without blocking: the
   * way for an async node to wait (a stand-in for I/O latency, a back-off, a poll interval), like
   * {@code vertx().timer(delayMs).map(done -> value)} but cheaper when many executions wait at once. Waits of an
   * async node on its event loop share one queue per length and one timer per queue (see the README, "Waiting in a
   * node"): a wait never ends early and ends at most about a millisecond after the same {@code vertx().timer}
   * would. Anywhere else (a blocking node's worker thread, another thread) it is a Vert.x timer of its own. The
   * future completes on the node's event loop for an async node; a wait is not cancelled when its run ends.
   *
   * @param delayMs how long to wait, in milliseconds; 0 completes at once
   * @param value   what the future completes with (may be null)
   * @throws IllegalArgumentException when {@code delayMs} is negative
   */
  default <T> io.vertx.core.Future<T> delay(long delayMs, T value) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be 0 or more, not " + delayMs + " (node '" + node() + "')");
    }
    if (delayMs == 0) {
      return io.vertx.core.Future.succeededFuture(value);
    }
    return vertx().timer(delayMs).map(done -> value);
  }

  /**
   * The deployment's default HTTP client. The runtime creates it once per deployment and closes it on
   * undeploy: never build a client per call, and never share one you made yourself across deployments.
   * Safe to use from the node's event loop and from worker threads. It is the client of the calling thread's event
   * loop (one per loop unless configured {@code "perEventLoop": false}), whose connections live on that loop, so its
   * responses are read on the node's own thread: ask for it in the node, not once for every loop.
   */
  WebClient webClient();

  /**
   * The HTTP client named {@code name}, configured in {@code GraphRuntimeOptions.httpClients} (e.g. one per
   * model provider, with its own pool size and timeouts); same lifecycle as {@link #webClient()}.
   *
   * @throws IllegalArgumentException when no client has that name, listing the configured names
   */
  WebClient webClient(String name);

  /**
   * The deployment's long-term store (LangGraph's {@code runtime.store}): memories kept across threads and runs,
   * configured with {@code GraphRuntimeOptions.setStore}. Safe to use from the node's event loop and from workers.
   *
   * @throws IllegalStateException when the deployment has no store, saying how to configure one
   */
  default io.graphloop.store.Store store() {
    throw new IllegalStateException("Node '" + node() + "' of graph '" + graph() + "' asked for the long-term store, "
        + "but none is configured: deploy with new GraphRuntimeOptions().setStore(store) (an InMemoryStore, "
        + "SqliteStore or PostgresStore)");
  }
}
