package io.graphloop.server;

import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Turns a run's event-bus stream into LangGraph Server's stream modes. The modes the bus has pass through
 * ({@code values}, {@code updates}, {@code tasks}, {@code debug}, {@code custom}); the others are derived:
 * <ul>
 *   <li>{@code checkpoints}: the bus's {@code debug} checkpoint events, as LangGraph's {@code CheckpointPayload}
 *       ({@code config}, {@code parent_config}, {@code values}, {@code metadata}, {@code next}, {@code tasks}), the
 *       configs naming the checkpoint's and its parent's ids; {@code debug} checkpoint events also carry
 *       {@code checkpoint} and {@code parent_checkpoint}, as the reference server sends them;</li>
 *   <li>{@code events}: LangChain's {@code astream_events} shape as the reference server sends it,
 *       {@code on_chain_start} / {@code on_chain_end} for the graph (named {@code LangGraph}, LangGraph's default
 *       graph name; its input, its output) and for each node task (input; output and input), built from the bus's
 *       {@code tasks};</li>
 *   <li>{@code messages}, {@code messages-tuple}: from the bus's {@code messages} events (chat-model chunks and the
 *       messages nodes wrote), by {@link ApiMessages}: {@code messages} tuples, or {@code messages/metadata},
 *       {@code messages/partial} (accumulated) and {@code messages/complete}.</li>
 * </ul>
 *
 * <p>Thread rules: one instance per run, used on the server verticle's context only.
 */
final class ApiStream {

  private final List<String> modes;
  private final boolean subgraphs;
  private final String graph;
  private final String runId;
  private final String threadId;
  /** {@code messages} / {@code messages-tuple}: the run's message accumulation, null when neither is asked. */
  private final ApiMessages messages;
  private boolean entrypoint; // set once before the run's first event
  /** {@code events}: the inputs of the tasks that started and have not ended, by task id (bounded). */
  private final java.util.Map<String, Object> taskInputs = new java.util.HashMap<>();
  private static final int MAX_OPEN_TASKS = 10_000;
  /** The name LangGraph gives a compiled graph's root run in {@code events} (its default graph name). */
  static final String ROOT_NAME = "LangGraph";

  ApiStream(List<String> modes, boolean subgraphs, String graph, String runId, String threadId) {
    this.modes = List.copyOf(modes);
    this.subgraphs = subgraphs;
    this.graph = graph;
    this.runId = runId;
    this.threadId = threadId;
    this.messages = ApiMessages.wanted(modes) ? new ApiMessages(modes) : null;
  }

  /** Whether the run's graph is an entrypoint's shown in LangGraph's form: its values chunks are the bare value. */
  ApiStream showingEntrypoint(boolean entrypoint) {
    this.entrypoint = entrypoint;
    return this;
  }

  /** The bus modes a run streaming the API modes {@code modes} needs (at least {@code values}, which ends a run). */
  static Set<StreamMode> busModes(List<String> modes) {
    Set<StreamMode> bus = EnumSet.of(StreamMode.VALUES);
    for (String mode : modes) {
      switch (mode) {
        case "checkpoints":
          bus.add(StreamMode.DEBUG);
          break;
        case "events":
          bus.add(StreamMode.TASKS);
          break;
        case "messages":
        case "messages-tuple":
          bus.add(StreamMode.MESSAGES);
          break;
        default:
          bus.add(StreamMode.of(mode));
      }
    }
    return bus;
  }

  /** Events due before the run's first bus event: {@code events}' graph start, with the run's input. */
  void start(Object input, BiConsumer<String, String> emit) {
    if (modes.contains("events")) {
      emit.accept("events", chainEvent("on_chain_start", ROOT_NAME, runId, new JsonObject().put("input", input))
          .encode());
    }
  }

  /** The API events of bus event {@code event} (not the terminal one), handed to {@code emit(name, data)}. */
  void onEvent(StreamEvent event, EventSink emit) {
    if (!event.ns().isEmpty() && !subgraphs) {
      return;
    }
    String suffix = event.ns().isEmpty() ? "" : "|" + event.ns();
    String name = event.event().wireName();
    if (name.equals(StreamMode.MESSAGES.wireName())) { // never the raw bus event: its shape is not the API's
      if (messages != null) {
        messages.onEvent(event, suffix, emit);
      }
      return;
    }
    if (name.equals("debug")) {
      JsonObject debug = new JsonObject(event.data());
      boolean checkpoint = "checkpoint".equals(debug.getString("type"));
      // LangGraph's order (Python 1.2.12 and the JS reference): a checkpoint's "checkpoints" event, then its "debug"
      if (checkpoint && modes.contains("checkpoints")) {
        emit.accept("checkpoints" + suffix, checkpoint(debug.getJsonObject("payload")).encode());
      }
      if (modes.contains(name)) {
        emit.accept(name + suffix, (checkpoint ? withCheckpoints(debug) : debug).encode());
      }
    } else if (entrypoint && event.ns().isEmpty() && name.equals(StreamMode.VALUES.wireName()) && modes.contains(name)) {
      emit.accept(name, io.vertx.core.json.Json.encode(EntrypointValues.chunk(event.data())));
    } else if (modes.contains(name)) {
      emit.accept(name + suffix, new JsonObject(event.data()).encode());
    }
    if (modes.contains("events") && event.ns().isEmpty() && name.equals("tasks")) {
      JsonObject task = new JsonObject(event.data());
      boolean ended = task.containsKey("result") || task.containsKey("error");
      String id = task.getString("id");
      JsonObject data = new JsonObject();
      if (ended) {
        data.put("output", task.getValue("result"));
        if (task.getValue("error") != null) {
          data.put("error", task.getValue("error"));
        }
        data.put("input", taskInputs.remove(id));
      } else {
        data.put("input", task.getValue("input"));
        if (taskInputs.size() < MAX_OPEN_TASKS) {
          taskInputs.put(id, task.getValue("input"));
        }
      }
      emit.accept("events", chainEvent(ended ? "on_chain_end" : "on_chain_start", task.getString("name"), id, data)
          .encode());
    }
  }

  /**
   * Events due when the run ended with {@code values}: {@code events}' graph end (for an entrypoint shown in
   * LangGraph's form, its output is the returned value, as the run's other outputs).
   */
  void end(JsonObject values, BiConsumer<String, String> emit) {
    if (modes.contains("events")) {
      Object output = entrypoint ? EntrypointValues.values(values) : values;
      emit.accept("events", chainEvent("on_chain_end", ROOT_NAME, runId, new JsonObject().put("output", output))
          .encode());
    }
  }

  /** A {@code checkpoints} event: LangGraph's CheckpointPayload, the bus's debug checkpoint payload as it is. */
  private static JsonObject checkpoint(JsonObject payload) {
    return new JsonObject().put("config", payload.getValue("config"))
        .put("parent_config", payload.getValue("parent_config"))
        .put("values", payload.getValue("values")).put("metadata", payload.getValue("metadata"))
        .put("next", payload.getValue("next")).put("tasks", payload.getValue("tasks"));
  }

  /**
   * A {@code debug} checkpoint event as LangGraph Server sends it: the payload's configs, plus {@code checkpoint} and
   * {@code parent_checkpoint} ({@code {thread_id, checkpoint_ns, checkpoint_id, checkpoint_map}}, null for a
   * thread's first), and a subgraph task's {@code checkpoint} in place of its {@code state} (the child's config).
   */
  private static JsonObject withCheckpoints(JsonObject debug) {
    JsonObject payload = debug.getJsonObject("payload");
    if (payload == null) {
      return debug;
    }
    payload.put("checkpoint", serverCheckpoint(payload.getValue("config")));
    payload.put("parent_checkpoint", serverCheckpoint(payload.getValue("parent_config")));
    // a subgraph task's state (the child's config) becomes its checkpoint, as LangGraph Server sends it
    if (payload.getValue("tasks") instanceof JsonArray) {
      JsonArray tasks = new JsonArray();
      for (Object task : payload.getJsonArray("tasks")) {
        if (task instanceof JsonObject && ((JsonObject) task).getValue("state") instanceof JsonObject) {
          JsonObject subgraphTask = ((JsonObject) task).copy(); // the bus event's own map stays as it is
          subgraphTask.put("checkpoint", serverCheckpoint(subgraphTask.remove("state")));
          tasks.add(subgraphTask);
        } else {
          tasks.add(task);
        }
      }
      payload.put("tasks", tasks);
    }
    return debug;
  }

  private static JsonObject serverCheckpoint(Object config) {
    if (!(config instanceof JsonObject) || !(((JsonObject) config).getValue("configurable") instanceof JsonObject)) {
      return null;
    }
    JsonObject configurable = ((JsonObject) config).getJsonObject("configurable");
    return new JsonObject().put("thread_id", configurable.getValue("thread_id"))
        .put("checkpoint_ns", configurable.getValue("checkpoint_ns"))
        .put("checkpoint_id", configurable.getValue("checkpoint_id")).put("checkpoint_map", null);
  }

  private JsonObject chainEvent(String kind, String name, String id, JsonObject data) {
    JsonObject metadata = new JsonObject().put("graph_id", graph).put("run_id", runId);
    if (threadId != null) {
      metadata.put("thread_id", threadId);
    }
    return new JsonObject().put("event", kind).put("name", name).put("run_id", id)
        .put("tags", new JsonArray()).put("metadata", metadata).put("data", data);
  }
}
