package io.graphloop.runtime;

import io.graphloop.graph.NodeContext;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.state.Values;
import io.graphloop.internal.timing.IdleDeadline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.Map;

/**
 * The {@link NodeContext} of one node execution.
 *
 * <p>Immutable; may be read from any thread.
 */
final class ExecutionContext implements NodeContext {

  private final Vertx vertx;
  private final NodeRequest request;
  /** The instance running the execution: its HTTP clients, store, counters, emit limit and waits. */
  private final NodeInstance instance;
  // set once before the node runs
  private io.graphloop.internal.tracing.NodeTrace trace = io.graphloop.internal.tracing.NodeTrace.NONE;
  private int interrupts; // guarded by this: how many interrupt() calls were answered from the resume values
  private EmitWindow emits; // guarded by this: made at the first emit of a streamed run
  private IdleDeadline idle; // set once before the node runs; null without an idle timeout
  private io.graphloop.graph.ExecutionInfo info; // made at the first executionInfo() (racy but idempotent)

  /**
   * The context of an execution of {@code instance}'s node for {@code request}; the store, node cache and emit limit
   * are the instance's (one object per execution that reads them from there rather than a copy of each: issue 17).
   */
  ExecutionContext(Vertx vertx, NodeRequest request, NodeInstance instance) {
    this.vertx = vertx;
    this.request = request;
    this.instance = instance;
  }

  /**
   * Completes once the custom events and message chunks this execution sent have been taken by the run's coordinator
   * (at once when it sent none): see {@link EmitWindow#drained}. Any thread.
   */
  io.vertx.core.Future<Void> eventsTaken() {
    EmitWindow window;
    synchronized (this) {
      window = emits;
    }
    return window == null ? io.vertx.core.Future.succeededFuture() : window.drained(request.eventsTo());
  }

  private synchronized EmitWindow emits() {
    if (emits == null) {
      emits = new EmitWindow(vertx, instance.maxPendingEmits, instance.counters);
    }
    return emits;
  }

  @Override
  public String graph() {
    return request.graph();
  }

  @Override
  public String runId() {
    return request.runId();
  }

  @Override
  public int step() {
    return request.step();
  }

  @Override
  public String node() {
    return request.node();
  }

  @Override
  public int attempt() {
    return request.attempt();
  }

  @Override
  public int maxAttempts() {
    return request.maxAttempts();
  }

  @Override
  public Map<String, Object> config() {
    return request.config();
  }

  /** Sets the attempt's idle timeout, which its stream events and heartbeats refresh. Before the node runs. */
  ExecutionContext withIdle(IdleDeadline idle) {
    this.idle = idle;
    return this;
  }

  @Override
  public void heartbeat() {
    IdleDeadline deadline = idle;
    if (deadline != null) {
      deadline.heartbeat();
    }
  }

  @Override
  public String threadId() {
    return SubgraphThreads.rootThread(request.execution().threadId());
  }

  @Override
  public String checkpointNs() {
    return executionInfo().checkpointNs();
  }

  @Override
  public io.graphloop.graph.ExecutionInfo executionInfo() {
    io.graphloop.graph.ExecutionInfo made = info;
    if (made == null) {
      NodeRequest.Execution execution = request.execution();
      String thread = execution.threadId();
      io.graphloop.internal.engine.Task task = new io.graphloop.internal.engine.Task(request.node(), 0, request.step(),
          io.graphloop.state.State.empty(), execution.push());
      // the coordinator's namespace when it sent one, else the task's id derived as the coordinator derives it
      String namespace = request.checkpointNs() != null ? request.checkpointNs()
          : SubgraphThreads.taskNamespace(thread, request.node(), TaskIds.of(execution.checkpointId() != null
              ? execution.checkpointId() : request.runId(), SubgraphThreads.namespaceOf(thread), task));
      made = new io.graphloop.graph.ExecutionInfo(execution.checkpointId(), namespace,
          namespace.substring(namespace.lastIndexOf(':') + 1), SubgraphThreads.rootThread(thread), request.runId(),
          request.attempt(), execution.firstAttemptAtMs());
      info = made;
    }
    return made;
  }

  @Override
  public void emit(Object payload) {
    IdleDeadline deadline = idle;
    if (deadline != null) { // progress even when nobody streams custom events, as LangGraph's stream writer
      deadline.progress();
    }
    if (request.eventsTo() == null || !request.streamModes().contains("custom")) {
      return;
    }
    Object frozen = Values.freeze(payload, "a custom event of node '" + request.node() + "'");
    emits().send(request.eventsTo(), new JsonObject().put("runId", request.runId())
        .put("node", request.node()).put("step", request.step())
        .put("custom", frozen instanceof Map ? new JsonObject(castMap(frozen)) : new JsonObject().put("value", frozen)),
        () -> "node '" + request.node() + "' of graph '" + request.graph() + "' (run " + request.runId() + ", step "
            + request.step() + ")");
  }

  @Override
  public int remainingSteps() {
    return request.remainingSteps();
  }

  @Override
  public boolean streamsMessages() {
    return request.eventsTo() != null && request.streamModes().contains(MESSAGES);
  }

  @Override
  public io.vertx.core.Future<Void> emitMessage(Object message, Map<String, Object> metadata) {
    IdleDeadline deadline = idle;
    if (deadline != null) {
      deadline.progress();
    }
    if (!streamsMessages()) {
      return io.vertx.core.Future.succeededFuture();
    }
    Object frozen = Values.freeze(message, () -> "a message chunk of node '" + request.node() + "'");
    if (!(frozen instanceof Map) || !(castMap(frozen).get("type") instanceof String)) {
      throw new IllegalArgumentException("emitMessage takes a message in LangChain's JSON format (a map with a "
          + "'type' such as \"AIMessageChunk\" or \"ai\", and 'content'), or a Message or AiMessageChunk; node '"
          + request.node() + "' gave " + (frozen instanceof Map ? "a map without a 'type'" : String.valueOf(frozen))
          + ".");
    }
    JsonObject event = new JsonObject().put("runId", request.runId()).put("node", request.node())
        .put("step", request.step()).put("message", new JsonObject(castMap(frozen)));
    if (metadata != null && !metadata.isEmpty()) {
      event.put("meta", new JsonObject(castMap(Values.freeze(metadata, "the metadata of a message chunk"))));
    }
    return emits().sendMessage(request.eventsTo(), event, () -> "node '" + request.node() + "' of graph '"
        + request.graph() + "' (run " + request.runId() + ", step " + request.step() + ")");
  }

  /** The wire name of the messages stream mode. */
  private static final String MESSAGES = io.graphloop.run.StreamMode.MESSAGES.wireName();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object map) {
    return (Map<String, Object>) map;
  }

  @Override
  public synchronized Object interrupt(Object payload) {
    if (interrupts < request.resume().size()) {
      return request.resume().get(interrupts++);
    }
    throw new GraphInterrupt(Values.freeze(payload, "the interrupt of node '" + request.node() + "'"), request.graph(),
        request.runId(), request.step(), request.node());
  }

  @Override
  public io.graphloop.graph.FunctionCalls functionCalls() {
    if (request.taskId() == null) {
      return NodeContext.super.functionCalls();
    }
    return new io.graphloop.graph.FunctionCalls() {
      @Override
      public String parentId() {
        return request.taskId();
      }

      @Override
      public String namespace() {
        return request.checkpointNs();
      }

      @Override
      public boolean has(String callId) {
        return request.calls().containsKey(callId);
      }

      @Override
      public Object get(String callId) {
        return io.graphloop.graph.FunctionCalls.storedValue(request.calls().get(callId));
      }

      @Override
      public java.util.List<Object> answers() {
        return request.resume();
      }

      @Override
      public io.graphloop.cache.NodeCache cache() {
        return instance.compiled.cache();
      }

      @Override
      public void started(String callId, String name, Object input) {
        if (request.callsTo() == null || request.eventsTo() == null || !request.streamModes().contains("tasks")
            && !request.streamModes().contains("debug")) {
          return; // nobody streams task events: no message
        }
        JsonObject call = new JsonObject().put("parent", request.taskId()).put("id", callId).put("name", name)
            .put("step", request.step()).put("input", Values.freeze(input, () -> "the input of task '" + name + "'"))
            .put("start", true);
        vertx.eventBus().send(request.callsTo(), new JsonObject().put("runId", request.runId())
            .put("correlation", io.graphloop.internal.bus.Correlations.toJson(request.correlation(),
                request.correlationTag())).put("call", call));
      }

      @Override
      public io.vertx.core.Future<Void> completed(String callId, String name, Object value, boolean cached) {
        if (request.callsTo() == null) {
          return io.vertx.core.Future.succeededFuture();
        }
        JsonObject call = new JsonObject().put("parent", request.taskId()).put("id", callId).put("name", name)
            .put("step", request.step()).put("value", value).put("cached", cached);
        // the attempt's correlation id proves the call comes from a node attempt the coordinator still waits for
        return vertx.eventBus().request(request.callsTo(), new JsonObject().put("runId", request.runId())
            .put("correlation", io.graphloop.internal.bus.Correlations.toJson(request.correlation(),
                request.correlationTag())).put("call", call)).mapEmpty();
      }
    };
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  /** On an async node's event loop, a wait in the instance's queues ({@link NodeDelays}); elsewhere a timer. */
  @Override
  public <T> io.vertx.core.Future<T> delay(long delayMs, T value) {
    NodeDelays delays = delayMs > 0 && delayMs <= NodeDelays.MAX_QUEUED_MS ? instance.delays() : null;
    if (delays == null || !delays.onLoop()) {
      return NodeContext.super.delay(delayMs, value);
    }
    return delays.delay(delayMs, value);
  }

  /** The execution's trace (its span's children: {@link #startSpan}), set before the node runs. */
  ExecutionContext withTrace(io.graphloop.internal.tracing.NodeTrace trace) {
    this.trace = trace;
    return this;
  }

  @Override
  public io.graphloop.graph.TraceSpan startSpan(String name) {
    return trace.child(java.util.Objects.requireNonNull(name, "name"));
  }

  @Override
  public io.graphloop.store.Store store() {
    return instance.store != null ? instance.store : NodeContext.super.store();
  }

  @Override
  public WebClient webClient() {
    return instance.httpClients.defaultClient();
  }

  @Override
  public WebClient webClient(String name) {
    return instance.httpClients.named(name);
  }
}
