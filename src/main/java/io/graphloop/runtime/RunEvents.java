package io.graphloop.runtime;

import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Task;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Failures;
import io.graphloop.protocol.NodeReply;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.state.State;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stream of one run: turns what the driver reports into {@link StreamEvent}s of the requested modes (LangGraph's
 * chunks), numbers them, and hands them to its {@link EventOutbox}, which delivers them to the consumer's address under
 * credit-based flow control: without credits, events wait in a bounded buffer and the run does not start its next
 * step until the buffer has drained below half, so a slow consumer slows its own run instead of growing memory. A
 * consumer that never grants again is dropped after {@code idleTimeoutMs}: the run goes on to its end (a caller of
 * {@code invoke} would still get its result; a stream's consumer that left does not) and nothing else is disturbed.
 *
 * <p>Message chunks ({@code messages} mode, LangGraph's token streaming) are not dropped as custom events are. While
 * the buffer holds {@code maxBufferedEvents} events, the coordinator withholds its acknowledgement of the nodes' emit
 * windows ({@link #holdAck}), so an emitting node's window closes and its chat model stops reading the model's HTTP
 * response until the consumer catches up: back-pressure from the consumer to the model server. The buffer is bounded
 * even so, at twice {@code maxBufferedEvents} (a node whose acknowledgement timed out sends on): past it the oldest
 * chunk is dropped, counted ({@link #messageChunksDropped}), and its message is sent whole when its task writes it,
 * so a consumer never ends up with a partial message it is not told about.
 *
 * <p>Thread rules: confined to the coordinator's event loop.
 */
final class RunEvents implements RunObserver {

  /** The node name of the updates event that reports a run's interrupts (LangGraph's key). */
  static final String INTERRUPT = "__interrupt__";

  /** The key of an updates chunk's metadata ({@code {"cached": true}} for writes not produced by a run). */
  static final String METADATA = "__metadata__";

  private final String runId;
  private final String namespace;
  private final Set<StreamMode> modes;
  private final EventOutbox outbox;
  /** The run's thread (for the checkpoint configs of {@code debug} events), once {@link #describeRun} said it. */
  private String threadId;
  private long seq;
  /** Its tasks' ids ({@link #describeRun}); until said, a run's without a thread. */
  private java.util.function.Function<Task, String> taskIds;
  private MessageStream messages; // made on demand when the run streams the messages mode

  RunEvents(Vertx vertx, String runId, String to, Set<StreamMode> modes, long credits, int maxBuffered,
            long idleTimeoutMs, Runnable onClosed) {
    this.runId = runId;
    this.namespace = "";
    this.modes = modes;
    this.taskIds = TaskIds.ofRun(runId);
    this.outbox = new EventOutbox(vertx, to, credits, maxBuffered, idleTimeoutMs, onClosed,
        chunk -> messages().lost(chunk));
  }

  /** Counts this stream's buffered events in {@code total} (the deployment's stream buffer depth) from now on. */
  RunEvents countBufferedIn(java.util.concurrent.atomic.LongAdder total) {
    outbox.countBufferedIn(total);
    return this;
  }

  /** Whether the run streams node-emitted ({@code custom}) events. */
  boolean wantsCustom() {
    return modes.contains(StreamMode.CUSTOM);
  }

  /** The run's stream modes, by wire name, in declaration order. */
  java.util.List<String> modeNames() {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (StreamMode mode : StreamMode.values()) {
      if (modes.contains(mode)) {
        names.add(mode.wireName());
      }
    }
    return names;
  }

  /**
   * The interrupts of a task that asked, from its interrupt (reported first, as LangGraph's) until its task result
   * event, which lists them; at most the tasks of one step, each removed at its result.
   */
  private final Map<String, List<Map<String, Object>>> lastAsked = new java.util.HashMap<>();
  /** Whether an {@code updates} chunk {@code {"__interrupt__": [...]}} was sent for a task (run's loop only). */
  private boolean interruptStreamed;

  /** Nodes that are entrypoints of the functional API: their {@code updates} chunk shows their output alone. */
  private Set<String> entrypoints = Set.of();

  /**
   * Names the nodes that are entrypoints of the functional API: as LangGraph's, an entrypoint's {@code updates} chunk
   * is {@code {name: output}} (the value it returned), not its channel writes.
   */
  void entrypoints(Set<String> names) {
    this.entrypoints = names;
  }

  /** Subgraph nodes whose runs stream their own events into this one (the run streams with subgraphs). */
  private Set<String> streamedSubgraphs = Set.of();

  /**
   * Names the subgraph nodes whose child runs stream into this run ({@code subgraphs=true}): as LangGraph's one
   * {@code StreamMessagesHandler} for a run and its subgraphs, the messages of such a node's output were the inputs or
   * the messages of its child's nodes, seen there, so its task's end streams none of them again.
   */
  void subgraphsStreamed(Set<String> nodes) {
    this.streamedSubgraphs = Set.copyOf(nodes);
  }

  /** Subgraph nodes whose children keep checkpoints on the run's thread (their tasks' {@code state} says where). */
  private Set<String> checkpointedSubgraphs = Set.of();

  /**
   * Names the subgraph nodes whose children keep checkpoints on the run's thread: in a {@code debug} checkpoint
   * event, as LangGraph's, such a task's {@code state} is the child's config, every other task's null.
   */
  void checkpointedSubgraphs(Set<String> nodes) {
    this.checkpointedSubgraphs = Set.copyOf(nodes);
  }

  /**
   * Says which thread and configuration the run has, for the metadata of its {@code messages} events, and its tasks'
   * ids ({@link TaskIds#ofRun(String, RunCheckpoints)}).
   */
  void describeRun(String threadId, Map<String, Object> config, java.util.function.Function<Task, String> taskIds) {
    this.threadId = threadId;
    this.taskIds = taskIds;
    if (modes.contains(StreamMode.MESSAGES)) {
      messages = new MessageStream(runId, threadId, config, taskIds);
    }
  }

  /**
   * The id task {@code task}'s events carry: the id its thread's state, history and stored writes have (derived from
   * the checkpoint its step was planned from: the same when a later run resumes the step, new in a fork or a replay,
   * as LangGraph's; {@link TaskIds}), or, for a run without a thread, derived from the run's id.
   */
  private String taskId(Task task) {
    return taskIds.apply(task);
  }

  private MessageStream messages() {
    if (messages == null) {
      messages = new MessageStream(runId, null, null, taskIds);
    }
    return messages;
  }

  /**
   * A node emitted a message chunk while running {@code step}. Returns whether the buffer has room for more: when not,
   * the caller holds back the emit window's acknowledgement ({@link #holdAck}).
   */
  boolean message(String node, int step, Map<String, Object> message, Map<String, Object> metadata) {
    if (!modes.contains(StreamMode.MESSAGES) || outbox.ended() || outbox.closed()) {
      return true;
    }
    push(StreamEventType.MESSAGES, step, node, messages().chunk(node, step, message, metadata));
    return outbox.hasRoom();
  }

  /**
   * Runs {@code ack} (the answer to a node's emit-window request, on the bus or handed over: {@link ControlInbox}) once
   * the buffer has drained below half, or at the close.
   */
  void holdAck(Runnable ack) {
    outbox.holdAck(ack);
  }

  /** Message chunks dropped because the buffer reached twice {@code maxBufferedEvents} (their messages went whole). */
  long messageChunksDropped() {
    return outbox.messageChunksDropped();
  }

  /** The consumer consumed {@code count} more events. */
  void grant(long count) {
    outbox.grant(count);
  }

  /** A node emitted {@code payload} while running {@code step}. */
  void custom(String node, int step, Map<String, Object> payload) {
    if (wantsCustom() && !outbox.ended()) {
      push(StreamEventType.CUSTOM, step, node, payload);
    }
  }

  /** Forwards an event of a subgraph run under {@code ns}. */
  void forward(StreamEvent child, String ns) {
    if (!outbox.ended() && !child.isTerminal() && modes.contains(child.event().mode())) {
      StreamEvent forwarded = child.forwarded(runId, ++seq, ns);
      if (child.event() == StreamEventType.MESSAGES) {
        messages().forwarded(child.data()); // seen: the run does not stream it again when a task writes it back
        forwarded = new StreamEvent(forwarded.runId(), forwarded.seq(), forwarded.event(), forwarded.step(),
            forwarded.node(), forwarded.ns(), MessageStream.underNamespace(child.data(), ns));
      }
      outbox.offer(forwarded);
    }
  }

  @Override
  public void onResume(String id, RunState state) {
    if (modes.contains(StreamMode.VALUES)) { // LangGraph streams the state a resumed run starts from
      push(StreamEventType.VALUES, state.step() - 1, null, state.state().asMap());
    }
  }

  @Override
  public void onCheckpoint(String id, RunState state, String source, String checkpointId, String parentId) {
    if (!modes.contains(StreamMode.DEBUG)) {
      return;
    }
    int step = state.step() - 1;
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", source);
    metadata.put("step", step);
    metadata.put("parents", Map.of());
    List<String> next = new ArrayList<>();
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (Task task : state.tasks()) {
      next.add(task.node());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", taskId(task));
      entry.put("name", task.node());
      entry.put("interrupts", List.of());
      entry.put("state", threadId != null && checkpointedSubgraphs.contains(task.node())
          ? SubgraphThreads.childConfig(threadId, task.node(), taskId(task)) : null);
      tasks.add(entry);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    // LangGraph's CheckpointPayload: the checkpoint's config and its parent's (null for a thread's first)
    payload.put("config", checkpointConfig(checkpointId));
    payload.put("parent_config", parentId == null ? null : checkpointConfig(parentId));
    payload.put("values", state.state().asMap());
    payload.put("metadata", metadata);
    payload.put("next", next);
    payload.put("tasks", tasks);
    debug(step, null, "checkpoint", payload);
  }

  @Override
  public void onHandlerStart(String id, Task task) {
    if (modes.contains(StreamMode.MESSAGES)) {
      messages().taskStarted(task);
    }
  }

  @Override
  public void onTaskStart(String id, Task task, int attempt) {
    if (modes.contains(StreamMode.MESSAGES)) {
      messages().taskStarted(task);
    }
    if (modes.contains(StreamMode.TASKS) || modes.contains(StreamMode.DEBUG)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", taskId(task));
      data.put("name", task.node());
      data.put("input", task.input().arg());
      if (modes.contains(StreamMode.TASKS)) {
        push(StreamEventType.TASKS, task.step(), task.node(), data);
      }
      debug(task.step(), task.node(), "task", data);
    }
  }

  @Override
  public void onTaskEnd(String id, Task task, int attempt, NodeReply reply, GraphloopException failure, long nanos) {
    if (reply != null && modes.contains(StreamMode.MESSAGES)) { // before its update, as LangGraph's on_chain_end
      List<Map<String, Object>> written = messages().taskEnded(task, reply.update());
      if (!streamedSubgraphs.contains(task.node())) { // else its child's nodes had them (and now they are seen)
        for (Map<String, Object> data : written) {
          push(StreamEventType.MESSAGES, task.step(), task.node(), data);
        }
      }
    }
    if (reply != null && modes.contains(StreamMode.UPDATES)) {
      // LangGraph's {node: None} for a node that wrote nothing, its writes one by one when it wrote a channel twice
      push(StreamEventType.UPDATES, task.step(), task.node(), Collections.singletonMap(task.node(),
          entrypoints.contains(task.node()) ? reply.update().get(io.graphloop.func.Entrypoint.OUTPUT)
              : !reply.writes().isEmpty() ? reply.writes() : reply.update().isEmpty() ? null : reply.update()));
    }
    if (modes.contains(StreamMode.TASKS) || modes.contains(StreamMode.DEBUG)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", taskId(task));
      data.put("name", task.node());
      boolean interrupted = failure instanceof GraphInterrupt;
      // LangGraph's task result of a failed task: the node's exception as its clients see it, {"error", "message"}
      data.put("error", reply != null || interrupted ? null : Failures.asLangGraphError(failure).getMap());
      data.put("result", reply == null ? Map.of() : reply.writes().isEmpty() ? reply.update()
          : io.graphloop.internal.engine.CommandLists.taskResult(reply.writes()));
      List<Map<String, Object>> asked = interrupted ? lastAsked.remove(taskId(task)) : null;
      data.put("interrupts", !interrupted ? List.of() : asked != null ? asked // {"value", "id"}, as LangGraph
          : List.of(Collections.singletonMap("value", ((GraphInterrupt) failure).payload())));
      data.put("attempt", attempt);
      data.put("durationMs", nanos / 1_000_000.0);
      if (modes.contains(StreamMode.TASKS)) {
        push(StreamEventType.TASKS, task.step(), task.node(), data);
      }
      debug(task.step(), task.node(), "task_result", data);
    }
  }

  @Override
  public void onStepEnd(String id, int step, RunState next, boolean wrote) {
    if (wrote && modes.contains(StreamMode.VALUES)) { // as LangGraph: only after a step that wrote a channel
      push(StreamEventType.VALUES, step, null, next.state().asMap());
    }
  }

  @Override
  public void onCallStart(String id, int step, String callId, String name, Object input) {
    if (modes.contains(StreamMode.TASKS) || modes.contains(StreamMode.DEBUG)) { // as LangGraph's PUSH task's start
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", callId);
      data.put("name", name);
      data.put("input", input);
      data.put("triggers", PUSH_TRIGGERS);
      if (modes.contains(StreamMode.TASKS)) {
        push(StreamEventType.TASKS, step, name, data);
      }
      debug(step, name, "task", data);
    }
  }

  /** The trigger LangGraph names for a PUSH task (a task call of the functional API, a Send). */
  private static final List<String> PUSH_TRIGGERS = List.of("__pregel_push");

  @Override
  public void onCall(String id, int step, String callId, String name, Object value, boolean cached) {
    if (modes.contains(StreamMode.UPDATES)) { // as LangGraph's PUSH task of the functional API: {task: its result}
      Map<String, Object> data = new LinkedHashMap<>();
      data.put(name, value);
      if (cached) {
        data.put(METADATA, Map.of("cached", true));
      }
      push(StreamEventType.UPDATES, step, name, data);
    }
    if (!cached && (modes.contains(StreamMode.TASKS) || modes.contains(StreamMode.DEBUG))) { // then its result
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", callId);
      data.put("name", name);
      data.put("error", null);
      data.put("result", Collections.singletonMap("__return__", value));
      data.put("interrupts", List.of());
      if (modes.contains(StreamMode.TASKS)) {
        push(StreamEventType.TASKS, step, name, data);
      }
      debug(step, name, "task_result", data);
    }
  }

  @Override
  public void onCachedWrites(String id, Task task, NodeReply reply) {
    if (modes.contains(StreamMode.UPDATES)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put(task.node(), reply.update().isEmpty() ? null : reply.update());
      data.put(METADATA, Map.of("cached", true));
      push(StreamEventType.UPDATES, task.step(), task.node(), data);
    }
  }

  @Override
  public void onInterrupt(String id, Task task, List<Map<String, Object>> interrupts, State values) {
    List<Map<String, Object>> asked = asked(interrupts);
    if (modes.contains(StreamMode.TASKS) || modes.contains(StreamMode.DEBUG)) { // for its task result, which follows
      lastAsked.put(taskId(task), asked);
    }
    if (modes.contains(StreamMode.UPDATES)) { // LangGraph's {"__interrupt__": [{"value", "id"}, ...]}
      push(StreamEventType.UPDATES, task.step(), INTERRUPT, Map.of(INTERRUPT, asked));
      interruptStreamed = true; // (an empty one for a subgraph stopped at its breakpoint: none more at the end)
    }
    if (modes.contains(StreamMode.VALUES) && !asked.isEmpty()) { // the step's state with the interrupts, as
      // LangGraph's values chunk; none for a subgraph stopped at a static breakpoint (LangGraph writes no interrupt)
      Map<String, Object> chunk = new LinkedHashMap<>(values.asMap());
      chunk.put(INTERRUPT, asked);
      push(StreamEventType.VALUES, task.step(), null, chunk);
    }
  }

  @Override
  public void onInterruptedValues(String id, int step, State values) {
    if (modes.contains(StreamMode.VALUES)) {
      push(StreamEventType.VALUES, step, null, values.asMap());
    }
  }

  /** The interrupts as LangGraph streams them: {@code {"value", "id"}} each (breakpoints have none). */
  private static List<Map<String, Object>> asked(List<Map<String, Object>> interrupts) {
    List<Map<String, Object>> asked = new ArrayList<>();
    for (Map<String, Object> interrupt : interrupts) {
      if (interrupt.containsKey("value")) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", interrupt.get("value"));
        entry.put("id", interrupt.get("id"));
        asked.add(entry);
      }
    }
    return asked;
  }

  /** LangGraph's checkpoint config {@code {"configurable": {"checkpoint_ns", "thread_id", "checkpoint_id"}}}. */
  private Map<String, Object> checkpointConfig(String checkpointId) {
    Map<String, Object> configurable = new LinkedHashMap<>();
    // a subgraph's run checkpoints under <thread>|<namespace>: LangGraph names the root thread and the namespace
    int child = threadId == null ? -1 : threadId.indexOf(SubgraphThreads.SEPARATOR);
    configurable.put("checkpoint_ns", child < 0 ? "" : threadId.substring(child + SubgraphThreads.SEPARATOR.length()));
    configurable.put("thread_id", child < 0 ? threadId : threadId.substring(0, child));
    configurable.put("checkpoint_id", checkpointId);
    return Collections.singletonMap("configurable", configurable);
  }

  /** A {@code debug} event in LangGraph's wrapper: {@code {"step", "timestamp", "type", "payload"}}. */
  private void debug(int step, String node, String type, Map<String, Object> payload) {
    if (modes.contains(StreamMode.DEBUG)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("step", step);
      data.put("timestamp", Instant.now().toString());
      data.put("type", type);
      data.put("payload", payload);
      push(StreamEventType.DEBUG, step, node, data);
    }
  }

  @Override
  public void onEnd(String id, RunEnd end, GraphloopException failure) {
    if (failure == null && end.interrupted() && modes.contains(StreamMode.UPDATES) && !interruptStreamed) {
      // a breakpoint: LangGraph's empty updates chunk {"__interrupt__": []} (a node's interrupts streamed as asked)
      push(StreamEventType.UPDATES, -1, INTERRUPT, Map.of(INTERRUPT, List.of()));
    }
    if (failure == null) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("values", end.values().asMap());
      data.put("status", (end.interrupted() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS).wireName());
      if (end.interrupted()) {
        data.put("interrupts", end.interrupts());
      }
      if (end.checkpointId() != null) {
        data.put("checkpointId", end.checkpointId());
      }
      push(StreamEvent.END, -1, null, data);
    } else {
      push(StreamEvent.ERROR, failure.step() == null ? -1 : failure.step(), failure.node(),
          Failures.toJson(failure).getMap());
    }
    outbox.end();
  }

  @Override
  public boolean readyForStep(Runnable resume) {
    return outbox.readyForStep(resume);
  }

  private void push(StreamEventType event, int step, String node, Map<String, Object> data) {
    outbox.offer(new StreamEvent(runId, ++seq, event, step, node, namespace, data));
  }
}
