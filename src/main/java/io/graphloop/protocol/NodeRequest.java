package io.graphloop.protocol;

import io.graphloop.internal.bus.Correlations;
import io.graphloop.run.StreamMode;
import io.graphloop.state.JsonFields;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The coordinator's request to execute one node, sent to {@code graphloop.<graph>.node.<name>}.
 * Inside a JVM the snapshot travels by reference: every node of a step receives the same {@link State}.
 *
 * <p>Immutable.
 *
 * @param graph       the graph's name
 * @param runId       the run's id
 * @param step        the superstep
 * @param node        the node to execute
 * @param attempt     the attempt, from 1
 * @param maxAttempts the attempts the node's policy allows
 * @param timeoutMs   how long the node may take, from receipt of this request, before it answers with a
 *                    timeout (0: no limit on the node's side)
 * @param config      the run's configuration (LangGraph's {@code configurable}), frozen
 * @param eventsTo    where the node's stream events go (the coordinator's control address), or {@code null}
 *                    when nobody streams the run
 * @param streamModes the run's stream modes (wire names; empty when not streamed): which custom events to send,
 *                    and in which modes a subgraph node streams its child run
 * @param replyTo     where to send the {@link NodeResult} (the coordinator's result address), or {@code null} to
 *                    answer the event-bus message itself ({@code message.reply}), as for any other requester
 * @param correlation the key of the id the result must carry back (meaningful with {@code replyTo})
 * @param correlationTag the rest of that id: random bits the result must carry back too (see {@link Correlations})
 * @param resume      answers to the task's interrupts, in order (empty unless the run resumes an interrupt)
 * @param input       the snapshot the node receives
 * @param childThread for a subgraph node of a run on a thread: the thread its child run checkpoints under (the
 *                    parent's thread and the task's checkpoint namespace, see {@code SubgraphThreads}); else
 *                    {@code null}
 * @param resuming    whether the run continues a checkpoint (LangGraph's {@code CONFIG_KEY_RESUMING}): a subgraph
 *                    node then continues its child's checkpoint instead of starting the child anew
 * @param remainingSteps the steps the run may still take after this one (LangGraph's {@code RemainingSteps})
 * @param taskId      for a node of the functional API (an entrypoint): the task's id on the thread (or in the run
 *                    without one), from which its task calls take their ids; else {@code null}
 * @param calls       for an entrypoint: the results of its task calls stored before (on the thread, by call id):
 *                    those calls are not run again (LangGraph's pending writes of PUSH tasks); else empty
 * @param callsTo     for an entrypoint: where it sends each task call's result to be stored and streamed (the
 *                    coordinator's control address); else {@code null}
 * @param recursionLimit the run's recursion limit, which a subgraph node's child run takes as its own (LangGraph
 *                    passes {@code recursion_limit} down in the config: the child counts its own steps against it);
 *                    0 when unknown (the child's runtime default applies)
 * @param checkpointNs for an entrypoint: its task's full checkpoint namespace ({@code node:uuid}, under its run's
 *                    namespace), which its body's and task calls' interrupt ids digest ({@code InterruptIds}); for a
 *                    subgraph node whose child keeps no checkpoints (a run without a thread, or a subgraph without
 *                    checkpoints): the same, whose last level its child's streamed events appear under; else
 *                    {@code null}
 * @param execution   what the node learns of its execution beyond the above (its thread, checkpoint, namespace,
 *                    first attempt's time) and its idle timeout; {@link Execution#NONE} when unknown
 */
public record NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                          long timeoutMs, Map<String, Object> config, String eventsTo, List<String> streamModes,
                          String replyTo, long correlation, long correlationTag, List<Object> resume,
                          State input, String childThread, boolean resuming, int remainingSteps,
                          String taskId, Map<String, Object> calls, String callsTo, int recursionLimit,
                          String checkpointNs, Execution execution) {

  /**
   * The execution facts a node reads ({@code NodeContext.executionInfo()}, LangGraph's {@code runtime.execution_info}
   * and the {@code thread_id}/{@code checkpoint_ns} of its config) and its timeout policy as the node side enforces
   * it.
   *
   * @param threadId          the run's thread (for a subgraph's child run, its child thread: the root thread, the
   *                          separator and the run's checkpoint namespace), or {@code null}
   * @param push              the task's push number ({@code Task.push}: -1 for a pull task), from which with the
   *                          thread (or run), step and node its task id and checkpoint namespace follow
   * @param checkpointId      the id of the checkpoint the task's step started from, or {@code null} (no thread)
   * @param firstAttemptAtMs  when the task's first attempt was sent (epoch ms), the same on every retry; 0 unknown
   * @param runTimeoutMs      the run timeout the task was given (0: none of its own: the deployment's applies)
   * @param idleTimeoutMs     the idle timeout the node enforces (0: none)
   * @param heartbeatOnly     whether only {@code heartbeat()} refreshes the idle timeout
   */
  public record Execution(String threadId, int push, String checkpointId, long firstAttemptAtMs,
                          long runTimeoutMs, long idleTimeoutMs, boolean heartbeatOnly) {
    /** Nothing known. */
    public static final Execution NONE = new Execution(null, -1, null, 0, 0, 0, false);

    JsonObject toJson() {
      return new JsonObject().put("threadId", threadId).put("push", push).put("checkpointId", checkpointId)
          .put("firstAttemptAtMs", firstAttemptAtMs).put("runTimeoutMs", runTimeoutMs)
          .put("idleTimeoutMs", idleTimeoutMs).put("heartbeatOnly", heartbeatOnly);
    }

    static Execution fromJson(JsonObject json, String where) {
      if (json == null) {
        return NONE;
      }
      String at = "field 'execution' of " + where;
      long idle = JsonFields.optionalLong(json, "idleTimeoutMs", 0, at);
      long run = JsonFields.optionalLong(json, "runTimeoutMs", 0, at);
      if (idle < 0 || run < 0) {
        throw new IllegalArgumentException("The timeouts in " + at + " must be 0 or more, were runTimeoutMs " + run
            + " and idleTimeoutMs " + idle);
      }
      int push = JsonFields.optionalInt(json, "push", -1, at);
      if (push < -1) {
        throw new IllegalArgumentException("Field 'push' of " + at + " must be -1 (a pull task) or 0 or more, was "
            + push);
      }
      return new Execution(JsonFields.optionalString(json, "threadId", at), push,
          JsonFields.optionalString(json, "checkpointId", at),
          JsonFields.optionalLong(json, "firstAttemptAtMs", 0, at), run, idle,
          Boolean.TRUE.equals(json.getValue("heartbeatOnly")));
    }
  }

  /** A request without execution facts ({@link Execution#NONE}). */
  public NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                     long timeoutMs, Map<String, Object> config, String eventsTo, List<String> streamModes,
                     String replyTo, long correlation, long correlationTag, List<Object> resume,
                     State input, String childThread, boolean resuming, int remainingSteps,
                     String taskId, Map<String, Object> calls, String callsTo, int recursionLimit,
                     String checkpointNs) {
    this(graph, runId, step, node, attempt, maxAttempts, timeoutMs, config, eventsTo, streamModes, replyTo,
        correlation, correlationTag, resume, input, childThread, resuming, remainingSteps, taskId, calls, callsTo,
        recursionLimit, checkpointNs, Execution.NONE);
  }

  public NodeRequest {
    execution = execution == null ? Execution.NONE : execution;
    config = config == null ? Map.of() : config;
    calls = calls == null ? Map.of() : calls;
    streamModes = streamModes == null ? List.of() : List.copyOf(streamModes);
    resume = resume == null ? List.of() : resume;
  }

  /** A request outside any subgraph scope (no child thread, not resuming). */
  public NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                     long timeoutMs, Map<String, Object> config, String eventsTo, List<String> streamModes,
                     String replyTo, long correlation, long correlationTag, List<Object> resume, State input) {
    this(graph, runId, step, node, attempt, maxAttempts, timeoutMs, config, eventsTo, streamModes, replyTo,
        correlation, correlationTag, resume, input, null, false, Integer.MAX_VALUE, null, null, null, 0, null);
  }

  /** A request for a node that is not an entrypoint of the functional API. */
  public NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                     long timeoutMs, Map<String, Object> config, String eventsTo, List<String> streamModes,
                     String replyTo, long correlation, long correlationTag, List<Object> resume, State input,
                     String childThread, boolean resuming, int remainingSteps) {
    this(graph, runId, step, node, attempt, maxAttempts, timeoutMs, config, eventsTo, streamModes, replyTo,
        correlation, correlationTag, resume, input, childThread, resuming, remainingSteps, null, null, null, 0, null);
  }

  /** A request without a known step budget ({@code remainingSteps} unknown). */
  public NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                     long timeoutMs, Map<String, Object> config, String eventsTo, List<String> streamModes,
                     String replyTo, long correlation, long correlationTag, List<Object> resume, State input,
                     String childThread, boolean resuming) {
    this(graph, runId, step, node, attempt, maxAttempts, timeoutMs, config, eventsTo, streamModes, replyTo,
        correlation, correlationTag, resume, input, childThread, resuming, Integer.MAX_VALUE, null, null, null, 0, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("graph", graph).put("runId", runId).put("step", step).put("node", node)
        .put("attempt", attempt).put("maxAttempts", maxAttempts).put("timeoutMs", timeoutMs)
        .put("config", new JsonObject(config)).put("eventsTo", eventsTo)
        .put("streamModes", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(streamModes)))
        .put("replyTo", replyTo).put("correlation", Correlations.toJson(correlation, correlationTag))
        .put("resume", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(resume)))
        .put("input", input.toJson()).put("childThread", childThread).put("resuming", resuming).put("remainingSteps", remainingSteps)
        .put("taskId", taskId).put("calls", new JsonObject(new java.util.LinkedHashMap<>(calls))).put("callsTo", callsTo)
        .put("recursionLimit", recursionLimit).put("checkpointNs", checkpointNs)
        .put("execution", execution == Execution.NONE ? null : execution.toJson());
  }

  public static NodeRequest fromJson(JsonObject json) {
    String where = "the node request";
    JsonObject input = JsonFields.optionalObject(json, "input", where);
    JsonObject config = JsonFields.optionalObject(json, "config", where);
    return new NodeRequest(JsonFields.requiredString(json, "graph", where), JsonFields.requiredString(json, "runId", where),
        JsonFields.optionalInt(json, "step", 0, where), JsonFields.requiredString(json, "node", where),
        JsonFields.optionalInt(json, "attempt", 1, where), JsonFields.optionalInt(json, "maxAttempts", 1, where),
        JsonFields.optionalLong(json, "timeoutMs", 0, where),
        config == null ? Map.of() : Values.freezeUpdate(config.getMap(), "the run's config"),
        JsonFields.optionalString(json, "eventsTo", where), modes(json.getValue("streamModes")),
        JsonFields.optionalString(json, "replyTo", where), Correlations.key(json.getValue("correlation"), 0, where),
        Correlations.tag(json.getValue("correlation"), where),
        resumeValues(JsonFields.optionalArray(json, "resume", where)), input == null ? State.empty() : State.of(input.getMap()),
        JsonFields.optionalString(json, "childThread", where), Boolean.TRUE.equals(json.getValue("resuming")),
        JsonFields.optionalInt(json, "remainingSteps", Integer.MAX_VALUE, where),
        JsonFields.optionalString(json, "taskId", where), calls(JsonFields.optionalObject(json, "calls", where)),
        JsonFields.optionalString(json, "callsTo", where), JsonFields.optionalInt(json, "recursionLimit", 0, where),
        JsonFields.optionalString(json, "checkpointNs", where),
        Execution.fromJson(JsonFields.optionalObject(json, "execution", where), where));
  }

  private static Map<String, Object> calls(JsonObject calls) {
    return calls == null ? Map.of() : Values.freezeUpdate(calls.getMap(), "the stored task calls of a node request");
  }

  private static List<Object> resumeValues(io.vertx.core.json.JsonArray values) {
    return values == null ? List.of() : Values.frozenList(values.getList(), "the resume values of a node request");
  }

  private static List<String> modes(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof io.vertx.core.json.JsonArray)) {
      throw new IllegalArgumentException("Field 'streamModes' of the node request must be a list of stream mode names "
          + StreamMode.names() + ".");
    }
    List<String> modes = new java.util.ArrayList<>();
    for (Object mode : (io.vertx.core.json.JsonArray) value) {
      modes.add(StreamMode.of(String.valueOf(mode)).wireName());
    }
    return modes;
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<NodeRequest> {
    public Codec() {
      super("graphloop.NodeRequest");
    }

    @Override
    JsonObject toJson(NodeRequest body) {
      return body.toJson();
    }

    @Override
    NodeRequest fromJson(JsonObject json) {
      return NodeRequest.fromJson(json);
    }
  }
}
