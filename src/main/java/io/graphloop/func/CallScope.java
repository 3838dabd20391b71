package io.graphloop.func;

import io.graphloop.graph.FunctionCalls;
import io.graphloop.graph.NodeContext;
import io.graphloop.state.Values;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link FunctionContext} of an entrypoint's execution, or of one task call inside it (a child scope): the node's
 * context, the thread's previous value, the id calls made here derive their ids from (the entrypoint's task id, or the
 * calling task call's id, as LangGraph's PUSH tasks nest), the counter that numbers them, and the scope's interrupts.
 *
 * <p>Each scope is one of LangGraph's tasks for {@code interrupt}: its interrupt id digests its checkpoint namespace
 * ({@link #interruptId}), and its {@code interrupt} calls take, in order, the answers given to that id (after those
 * given to its own id, as checkpoints stored before ids were digests hold them)
 * ({@link FunctionCalls#answers()}); the first one without an answer stops it with a {@link CallInterrupt} naming the
 * id. So tasks running concurrently each wait for their own answer, whichever asks first.
 *
 * <p>Thread-safe: the counters are atomic; the rest is immutable or the node context's (thread-safe) methods.
 */
final class CallScope implements FunctionContext {

  private final NodeContext node;
  private final FunctionCalls calls;
  private final Object previous;
  private final String scopeId;
  /** The scope's checkpoint namespace, which its interrupt id digests; null when unknown (then the id is scopeId). */
  private final String namespace;
  private final CallScope parent;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger asked = new AtomicInteger();
  /** The answers given so far, by interrupt id (shared by an execution's scopes; read only). */
  private final Map<String, List<Object>> answers;
  /** How many answers each interrupt id took in this execution (shared by an execution's scopes). */
  private final Map<String, Integer> answered;
  /** The root scope's calls that ran (not stored ones), each until its result is stored or it failed. */
  private final java.util.List<Future<?>> running;
  /** The idle timeout of the task attempt this scope runs, refreshed by its progress; null for none. */
  private volatile io.graphloop.internal.timing.IdleDeadline idle;

  /** The scope of an entrypoint's execution. */
  CallScope(NodeContext node, Object previous) {
    this(node, node.functionCalls(), previous, node.functionCalls().parentId(), node.functionCalls().namespace(),
        null);
  }

  private CallScope(NodeContext node, FunctionCalls calls, Object previous, String scopeId, String namespace,
                    CallScope parent) {
    this.node = node;
    this.calls = calls;
    this.previous = previous;
    this.scopeId = scopeId;
    this.namespace = namespace;
    this.parent = parent;
    this.answers = parent == null ? byInterrupt(calls.answers()) : parent.answers;
    this.answered = parent == null ? new java.util.concurrent.ConcurrentHashMap<>() : parent.answered;
    this.running = parent == null ? java.util.Collections.synchronizedList(new java.util.ArrayList<>()) : parent.running;
  }

  /**
   * Completes once every call that ran in this execution has settled (its result stored, or failed): the entrypoint's
   * own outcome is reported only then, so a call that completed is stored even when the entrypoint stops first.
   */
  Future<Void> settled() {
    List<Future<?>> all;
    synchronized (running) {
      all = new java.util.ArrayList<>(running);
    }
    return Future.join(all).transform(done -> all.size() == currentSize() ? Future.<Void>succeededFuture()
        : settled());
  }

  private int currentSize() {
    synchronized (running) {
      return running.size();
    }
  }

  /** The id of this execution's call number {@code index} to task {@code name}: stable across resumes. */
  static String callId(String parentId, int index, String name) {
    return UUID.nameUUIDFromBytes((parentId + "|" + index + "|" + name).getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Future<O> call(Task<I, O> task, I input) {
    String id = callId(scopeId, counter.getAndIncrement(), task.name());
    calls.started(id, task.name(), input);
    if (calls.has(id)) { // it completed before this execution: its stored result, without running it again
      return Future.succeededFuture((O) calls.get(id));
    }
    Future<O> call = TaskPolicies.cached(this, task, input, id).compose(result -> calls.completed(id, task.name(),
        result.value(), result.cached()).map(stored -> (O) result.value()));
    running.add(call);
    return call;
  }

  /**
   * Runs attempt {@code attempt} of call {@code id} of {@code task} in a scope of its own (its interrupts and nested
   * calls start afresh on each attempt), with the task's time limit: its frozen result.
   */
  <I, O> Future<Object> attempt(Task<I, O> task, I input, String id, int attempt) {
    CallScope scope = new CallScope(node, calls, previous, id,
        namespace == null ? null : io.graphloop.graph.InterruptIds.child(namespace, task.name() + ":" + id), this);
    Future<O> run = task.timeoutPolicy() == null ? task.run(input, scope)
        : TaskPolicies.limited(node, task, scope, input, attempt);
    return run.compose(result -> {
      try {
        return Future.succeededFuture(Values.freeze(result, () -> "the result of task '" + task.name() + "'"));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** Sets the idle timeout of the task attempt this scope runs (before it starts). */
  void idle(io.graphloop.internal.timing.IdleDeadline idle) {
    this.idle = idle;
  }

  /** The node context this execution runs in. */
  NodeContext nodeContext() {
    return node;
  }

  @Override
  public Object previous() {
    return previous;
  }

  @Override
  public FunctionCalls functionCalls() {
    return calls;
  }

  @Override
  public String graph() {
    return node.graph();
  }

  @Override
  public String runId() {
    return node.runId();
  }

  @Override
  public int step() {
    return node.step();
  }

  @Override
  public String node() {
    return node.node();
  }

  @Override
  public int attempt() {
    return node.attempt();
  }

  @Override
  public int maxAttempts() {
    return node.maxAttempts();
  }

  @Override
  public int remainingSteps() {
    return node.remainingSteps();
  }

  @Override
  public Map<String, Object> config() {
    return node.config();
  }

  @Override
  public String threadId() {
    return node.threadId();
  }

  @Override
  public String checkpointNs() {
    return node.checkpointNs();
  }

  @Override
  public io.graphloop.graph.ExecutionInfo executionInfo() {
    return node.executionInfo();
  }

  @Override
  public void heartbeat() {
    for (CallScope scope = this; scope != null; scope = scope.parent) { // this task's and every enclosing task's
      io.graphloop.internal.timing.IdleDeadline deadline = scope.idle;
      if (deadline != null) {
        deadline.heartbeat();
      }
    }
    node.heartbeat();
  }

  /** A progress signal to this task's and every enclosing task's idle timeout (the node's is refreshed by it). */
  private void progress() {
    for (CallScope scope = this; scope != null; scope = scope.parent) {
      io.graphloop.internal.timing.IdleDeadline deadline = scope.idle;
      if (deadline != null) {
        deadline.progress();
      }
    }
  }

  @Override
  public void emit(Object payload) {
    progress();
    node.emit(payload);
  }

  @Override
  public boolean streamsMessages() {
    return node.streamsMessages();
  }

  @Override
  public Future<Void> emitMessage(Object message, Map<String, Object> metadata) {
    progress();
    return node.emitMessage(message, metadata);
  }

  /**
   * The {@code n}-th call in this scope returns the {@code n}-th answer given to this scope's interrupt id; without
   * one, it stops the scope with a {@link CallInterrupt} carrying the id and the payload.
   */
  @Override
  public Object interrupt(Object payload) {
    int index = asked.getAndIncrement();
    List<Object> mine = answers.getOrDefault(scopeId, List.of()); // answers stored before ids were digests
    String id = interruptId();
    if (!id.equals(scopeId)) {
      List<Object> byDigest = answers.getOrDefault(id, List.of());
      if (!byDigest.isEmpty()) {
        mine = new java.util.ArrayList<>(mine);
        mine.addAll(byDigest);
      }
    }
    if (index < mine.size()) {
      answered.merge(id, index + 1, Math::max);
      return mine.get(index);
    }
    throw new CallInterrupt(id, Values.freeze(payload, () -> "the interrupt of node '" + node.node() + "'"),
        node.graph(), node.runId(), node.step(), node.node());
  }

  /**
   * The id this scope's interrupts carry: the digest of its checkpoint namespace ({@code <entrypoint>:<uuid>} for the
   * body, {@code <entrypoint ns>|<task>:<call id>} for a call; {@link io.graphloop.graph.InterruptIds}), or without a
   * known namespace the call's id (the entrypoint's task id for its own body).
   */
  String interruptId() {
    return namespace == null ? scopeId : io.graphloop.graph.InterruptIds.of(namespace);
  }

  /** The scope's own id: a call's id, or the entrypoint's task id for its body. */
  String scopeId() {
    return scopeId;
  }

  /** How many answers each interrupt id took so far in this execution (a copy). */
  Map<String, Integer> answered() {
    return Map.copyOf(answered);
  }

  /** The answers in {@code given} (entries of {@link FunctionCalls#answer}) grouped by interrupt id, in order. */
  private static Map<String, List<Object>> byInterrupt(List<Object> given) {
    Map<String, List<Object>> byId = new java.util.HashMap<>();
    for (Object entry : given) {
      String id = FunctionCalls.answerId(entry);
      if (id != null) {
        byId.computeIfAbsent(id, key -> new java.util.ArrayList<>()).add(FunctionCalls.answerValue(entry));
      }
    }
    return byId;
  }

  @Override
  public Vertx vertx() {
    return node.vertx();
  }

  @Override
  public WebClient webClient() {
    return node.webClient();
  }

  @Override
  public WebClient webClient(String name) {
    return node.webClient(name);
  }

  @Override
  public io.graphloop.store.Store store() {
    return node.store();
  }
}
