package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.MultitaskStrategy;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A run request of LangGraph Server ({@code RunCreateStateful} / {@code RunCreateStateless}), read and checked once:
 * every field of the spec is known, each of the wrong type or value is refused with 422 naming it, and those the
 * event-bus protocol cannot carry yet are refused rather than ignored.
 *
 * <p>Immutable once read; stateless parsing.
 */
final class RunBody {

  static final Set<String> FIELDS = Set.of("assistant_id", "checkpoint", "checkpoint_id", "input", "command",
      "metadata", "config", "context", "webhook", "interrupt_before", "interrupt_after", "stream_mode",
      "stream_subgraphs", "stream_resumable", "on_disconnect", "feedback_keys", "multitask_strategy", "if_not_exists",
      "after_seconds", "checkpoint_during", "durability", "on_completion", "langsmith_tracer", "raise_error");
  /** The stream modes of LangGraph's API, in its order. */
  static final List<String> MODES = List.of("values", "messages", "messages-tuple", "tasks", "checkpoints", "updates",
      "events", "debug", "custom");

  final String assistantId;
  /** The run's input state, or {@code null} (none, or not yet resolved: see {@link #resolveInput}). */
  JsonObject input;
  /** The {@code input} field as sent: any JSON value for an entrypoint's graph ({@link EntrypointValues}). */
  final Object inputValue;
  final boolean hasResume;
  final Object resume;
  /** Whether the run's input is a {@code command} (resume, update, goto). */
  final boolean hasCommand;
  /** {@code command.update} as a map, or {@code null}. */
  final java.util.Map<String, Object> commandUpdate;
  /** {@code command.goto}'s node names (empty for none). */
  final List<String> commandGoto;
  final List<String> streamModes;
  final boolean streamSubgraphs;
  final boolean streamResumable;
  final JsonObject metadata;
  final JsonObject config;
  final JsonObject context;
  final List<String> interruptBefore;
  final List<String> interruptAfter;
  final String checkpointId;
  /** {@code checkpoint.checkpoint_ns}: a subgraph's checkpoint namespace, or null. */
  final String checkpointNs;
  final String multitaskStrategy;
  final String ifNotExists;
  final String onDisconnect;
  final String onCompletion;
  final String durability;
  /** {@code feedback_keys} (a key or a list of them), or {@code null}. */
  final List<String> feedbackKeys;
  /** The request headers a run's config records ({@link RunFields#headers}). */
  final JsonObject headers;
  final JsonObject raw;

  RunBody(JsonObject body, boolean stateful) {
    this(body, stateful, new JsonObject());
  }

  /** @param headers the request headers its run's config records ({@link RunFields#headers}) */
  RunBody(JsonObject body, boolean stateful, JsonObject headers) {
    Bodies.onlyKnown(body, FIELDS, "a run request");
    raw = body;
    this.headers = headers;
    Object assistant = body.getValue("assistant_id");
    if (assistant == null) {
      throw ApiException.invalid("Field 'assistant_id' is required: the graph's name or its assistant's id.");
    }
    assistantId = Bodies.string(body, "assistant_id");
    Object in = body.getValue("input");
    inputValue = in;
    input = in instanceof JsonObject ? (JsonObject) in : null;
    JsonObject command = Bodies.object(body, "command");
    if (command != null) {
      Bodies.onlyKnown(command, Set.of("resume", "goto", "update"), "the run's command");
    }
    hasResume = command != null && command.getValue("resume") != null; // Command(resume=None) resumes nothing
    resume = hasResume ? command.getValue("resume") : null;
    commandUpdate = command == null ? null : update(command.getValue("update"));
    commandGoto = command == null ? List.of() : gotoTargets(command.getValue("goto"));
    hasCommand = command != null;
    if (hasCommand && !hasResume && commandUpdate == null && commandGoto.isEmpty()) {
      throw ApiException.invalid("Field 'command' is empty: give it 'resume' (the answer to the thread's "
          + "interrupts), 'update' (a JSON object written through the reducers) or 'goto' (node names to run).");
    }
    if (inputValue != null && hasCommand) {
      throw ApiException.invalid("A run takes 'input' or 'command', not both.");
    }
    if (hasCommand && !stateful) {
      throw ApiException.invalid("'command' resumes or steers a thread's run; a stateless run has no thread.");
    }
    List<String> modes = Bodies.strings(body, "stream_mode");
    streamModes = modes == null || modes.isEmpty() ? List.of("values") : List.copyOf(new LinkedHashSet<>(modes));
    for (String mode : streamModes) {
      if (!MODES.contains(mode)) {
        throw ApiException.invalid("Unknown stream mode '" + mode + "'; stream modes are " + MODES + ".");
      }
    }
    streamSubgraphs = Boolean.TRUE.equals(Bodies.bool(body, "stream_subgraphs"));
    streamResumable = Boolean.TRUE.equals(Bodies.bool(body, "stream_resumable"));
    metadata = orEmpty(Bodies.object(body, "metadata"));
    config = orEmpty(Bodies.object(body, "config"));
    context = orEmpty(Bodies.object(body, "context"));
    Object configurable = config.getValue("configurable");
    if (configurable != null && !(configurable instanceof JsonObject)) {
      throw Bodies.wrong("config.configurable", "a JSON object", configurable);
    }
    Object limit = config.getValue("recursion_limit");
    if (limit != null && (!(limit instanceof Integer || limit instanceof Long) || ((Number) limit).longValue() < 1
        || ((Number) limit).longValue() > Integer.MAX_VALUE)) {
      throw Bodies.wrong("config.recursion_limit", "a whole number of at least 1", limit);
    }
    interruptBefore = Bodies.strings(body, "interrupt_before");
    interruptAfter = Bodies.strings(body, "interrupt_after");
    checkpointId = checkpointId(body);
    checkpointNs = checkpointNs(body);
    if (checkpointId != null && !stateful) {
      throw ApiException.invalid("'checkpoint' picks a checkpoint of a thread; a stateless run has no thread.");
    }
    multitaskStrategy = Bodies.oneOf(body, "multitask_strategy", "enqueue",
        List.of("reject", "rollback", "interrupt", "enqueue"));
    ifNotExists = Bodies.oneOf(body, "if_not_exists", "reject", List.of("create", "reject"));
    onDisconnect = Bodies.oneOf(body, "on_disconnect", "cancel", List.of("cancel", "continue"));
    onCompletion = Bodies.oneOf(body, "on_completion", "delete", List.of("delete", "keep"));
    durability = Bodies.oneOf(body, "durability", null, List.of("sync", "async", "exit"));
    feedbackKeys = Bodies.strings(body, "feedback_keys");
    Bodies.bool(body, "raise_error"); // the Python SDK's sync runs.wait sends it; it only matters to the client
    Object after = body.getValue("after_seconds");
    if (after != null && !(after instanceof Number && ((Number) after).doubleValue() == 0)) {
      throw ApiException.invalid("Field 'after_seconds' (a delayed start) is not supported yet; leave it out.");
    }
    if (body.getValue("webhook") != null) {
      throw ApiException.invalid("Field 'webhook' is not supported yet; poll the run or join its stream instead.");
    }
  }

  /**
   * {@code command.update}: a JSON object, or LangGraph's list of {@code [channel, value]} pairs (a later pair wins
   * over an earlier one for the same channel only when the channel has no reducer).
   */
  private static java.util.Map<String, Object> update(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject) {
      return ((JsonObject) value).getMap();
    }
    if (value instanceof JsonArray) {
      java.util.Map<String, Object> pairs = new java.util.LinkedHashMap<>();
      for (Object pair : (JsonArray) value) {
        if (!(pair instanceof JsonArray) || ((JsonArray) pair).size() != 2
            || !(((JsonArray) pair).getValue(0) instanceof String)) {
          throw Bodies.wrong("command.update", "a JSON object or a list of [channel, value] pairs", value);
        }
        pairs.put(((JsonArray) pair).getString(0), ((JsonArray) pair).getValue(1));
      }
      return pairs;
    }
    throw Bodies.wrong("command.update", "a JSON object or a list of [channel, value] pairs", value);
  }

  /** {@code command.goto}: a node name, a list of them, or LangGraph's Send objects (refused: not supported). */
  private static List<String> gotoTargets(Object value) {
    if (value == null) {
      return List.of();
    }
    List<Object> items = value instanceof JsonArray ? ((JsonArray) value).getList() : List.of(value);
    List<String> names = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof String) {
        names.add((String) item);
      } else if (item instanceof java.util.Map || item instanceof JsonObject) {
        throw ApiException.invalid("Field 'command.goto' holds a Send ({\"node\", \"input\"}); a run's command "
            + "takes node names only here (Sends are returned by nodes).");
      } else {
        throw Bodies.wrong("command.goto", "a node name or a list of node names", value);
      }
    }
    return names;
  }

  /** {@code checkpoint.checkpoint_ns} when it names a subgraph's namespace; otherwise null. */
  private static String checkpointNs(JsonObject body) {
    JsonObject checkpoint = Bodies.object(body, "checkpoint");
    Object value = checkpoint == null ? null : checkpoint.getValue("checkpoint_ns");
    if (value != null && !(value instanceof String)) {
      throw Bodies.wrong("checkpoint.checkpoint_ns", "a string", value);
    }
    return value == null || ((String) value).isEmpty() ? null : (String) value;
  }

  /** {@code checkpoint_id}, or {@code checkpoint.checkpoint_id}. */
  private static String checkpointId(JsonObject body) {
    String id = Bodies.string(body, "checkpoint_id");
    JsonObject checkpoint = Bodies.object(body, "checkpoint");
    if (checkpoint != null && checkpoint.getValue("checkpoint_id") != null) {
      Object value = checkpoint.getValue("checkpoint_id");
      if (!(value instanceof String)) {
        throw Bodies.wrong("checkpoint.checkpoint_id", "a string", value);
      }
      id = (String) value;
    }
    return id;
  }

  /** The event-bus modes this run streams ({@link ApiStream#busModes}). */
  Set<StreamMode> busModes() {
    return ApiStream.busModes(streamModes);
  }

  /**
   * The run's options on the bus: the assistant's {@code config.configurable} and {@code context} under the run's
   * own (LangGraph merges an assistant's config into each of its runs), and the assistant's recursion limit when the
   * run sets none.
   */
  /**
   * Fixes the run's input once its graph is known: for an entrypoint's graph shown in LangGraph's form the bare
   * {@code input} value becomes {@code {"input": value}}; otherwise the input must be a JSON object (or null).
   *
   * @throws ApiException 422 for an input that is not an object, naming what it was
   */
  void resolveInput(boolean entrypoint) {
    if (inputValue == null) {
      return;
    }
    if (entrypoint) {
      input = EntrypointValues.input(inputValue);
    } else if (!(inputValue instanceof JsonObject)) {
      throw Bodies.wrong("input", "a JSON object (the graph's input state) or null", inputValue);
    }
  }

  RunOptions options(String runId, String threadId, CompiledGraph graph, JsonObject assistantConfig,
                     JsonObject assistantContext) {
    // the runtime streams a subgraph's events only when asked (LangGraph's subgraphs=True)
    RunOptions options = new RunOptions().setRunId(runId).setStreamSubgraphs(streamSubgraphs);
    JsonObject busConfig = new JsonObject();
    Object defaults = assistantConfig.getValue("configurable");
    if (defaults instanceof JsonObject) {
      busConfig.mergeIn((JsonObject) defaults);
    }
    busConfig.mergeIn(assistantContext);
    JsonObject configurable = config.getJsonObject("configurable");
    if (configurable != null) {
      busConfig.mergeIn(configurable);
    }
    busConfig.mergeIn(context);
    busConfig.remove("thread_id");
    busConfig.remove("checkpoint_id");
    busConfig.remove("checkpoint_ns");
    busConfig.remove(io.graphloop.graph.InterruptIds.RESUME_MAP); // reserved: set from a run's Command(resume={...})
    busConfig.remove("__pregel_replay_state"); // reserved: set by a time travel for its stateful subgraphs
    busConfig.remove("__pregel_checkpoint_map"); // reserved: set by a run from a subgraph's checkpoint
    busConfig.remove("__pregel_durability"); // reserved: set from the run's durability for its subgraphs
    if (!busConfig.isEmpty()) {
      options.setConfig(busConfig);
    }
    Object limit = config.getValue("recursion_limit");
    if (limit == null && assistantConfig.getValue("recursion_limit") instanceof Number) {
      limit = assistantConfig.getValue("recursion_limit");
    }
    if (limit != null) {
      options.setRecursionLimit(((Number) limit).intValue());
    }
    if (threadId != null) {
      options.setThreadId(threadId);
      // the server queues a thread's runs itself (enqueue), cancels for interrupt / rollback, and checks reject
      // against the bus: a run from another server on the same thread is refused as busy
      options.setMultitaskStrategy("reject".equals(multitaskStrategy) ? MultitaskStrategy.REJECT
          : MultitaskStrategy.ENQUEUE);
      if (checkpointId != null) {
        options.setCheckpointId(checkpointId);
        options.setCheckpointNs(checkpointNs); // a subgraph's checkpoint (LangGraph's checkpoint_ns)
      }
      if (durability != null) {
        options.setDurability(Durability.of(durability));
      }
    }
    if (interruptBefore != null) {
      options.setInterruptBefore(nodes(interruptBefore, graph, "interrupt_before"));
    }
    if (interruptAfter != null) {
      options.setInterruptAfter(nodes(interruptAfter, graph, "interrupt_after"));
    }
    return options;
  }

  /** The node names of a breakpoint list; {@code "*"} is every node. */
  private static List<String> nodes(List<String> names, CompiledGraph graph, String field) {
    if (names.contains("*")) {
      return graph.nodeNames();
    }
    for (String name : names) {
      if (!graph.nodeNames().contains(name)) {
        throw ApiException.invalid("Unknown node '" + name + "' in '" + field + "' for graph '" + graph.name()
            + "'; its nodes are " + graph.nodeNames() + " (or \"*\" for all).");
      }
    }
    return names;
  }

  private static JsonObject orEmpty(JsonObject object) {
    return object == null ? new JsonObject() : object;
  }
}
