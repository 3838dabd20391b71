package io.graphloop.server;

import io.graphloop.func.Entrypoint;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.internal.graph.Entrypoints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a functional API graph (an {@link Entrypoint}'s) as LangGraph Server shows it. Inside, Graphloop keeps
 * an entrypoint's state as the channels {@code {"input", "output", "previous"}}; LangGraph's state is the value the
 * entrypoint returned (its {@code END} channel: {@code entrypoint.final}'s {@code value}, not what it saved). So for
 * such a graph the API takes a run's {@code input} as the bare value ({@code 5}, {@code "text"}, {@code {...}}) and
 * shows the returned value where LangGraph does: a run's output ({@code /runs/wait}, with {@code __interrupt__} added
 * when the value is an object, or alone otherwise), a thread's {@code values}, its state's and history's
 * {@code values}, and the {@code values} stream's chunks; {@code {}} before the entrypoint first returned. A state
 * update's {@code values} is the value itself, written as the returned and the saved value, as LangGraph's
 * {@code update_state(config, value)}. Graphs named in {@link ServerOptions#setEntrypointChannels} keep the channel
 * form. Only the surfaces change: checkpoints, the bus and the Java client keep the channels.
 *
 * <p>Immutable after construction; safe from any thread.
 */
final class EntrypointValues {

  private final Map<String, Boolean> shown = new HashMap<>();

  EntrypointValues(Iterable<CompiledGraph> graphs, ServerOptions options) {
    for (CompiledGraph graph : graphs) {
      shown.put(graph.name(), isEntrypoint(graph) && !options.getEntrypointChannels().contains(graph.name()));
    }
  }

  /** Whether {@code graph} is an entrypoint's graph: one node besides START, an entrypoint. */
  static boolean isEntrypoint(CompiledGraph graph) {
    return Entrypoints.entrypoint(graph) != null;
  }

  /** Whether graph {@code graphId} ({@code null}: unknown) is shown in LangGraph's form. */
  boolean shows(String graphId) {
    return graphId != null && Boolean.TRUE.equals(shown.get(graphId));
  }

  /** The bus input of a run whose API input is {@code value} (not null). */
  static JsonObject input(Object value) {
    return new JsonObject().put(Entrypoint.INPUT, value);
  }

  /** LangGraph's values of the channel state {@code state}: the returned value, {@code {}} before any. */
  static Object values(JsonObject state) {
    return state == null || !state.containsKey(Entrypoint.OUTPUT) ? new JsonObject() : state.getValue(Entrypoint.OUTPUT);
  }

  /** A run's output: its values, with {@code interrupts} (LangGraph's {@code __interrupt__}, may be empty) added. */
  static Object output(JsonObject state, JsonArray interrupts) {
    Object values = values(state);
    if (interrupts == null || interrupts.isEmpty()) {
      return values;
    }
    JsonObject output = values instanceof JsonObject ? ((JsonObject) values).copy() : new JsonObject();
    return output.put("__interrupt__", interrupts);
  }

  /** The channel writes of LangGraph's {@code update_state(config, value)}: the returned and the saved value. */
  static Map<String, Object> update(Object value) {
    Map<String, Object> writes = new java.util.LinkedHashMap<>();
    writes.put(Entrypoint.OUTPUT, value instanceof JsonObject ? ((JsonObject) value).getMap()
        : value instanceof JsonArray ? ((JsonArray) value).getList() : value);
    writes.put(Entrypoint.PREVIOUS, writes.get(Entrypoint.OUTPUT));
    return writes;
  }

  /** A {@code values} chunk of the bus (the channel state) as the API sends it. */
  static Object chunk(Map<String, Object> data) {
    JsonObject state = new JsonObject(data);
    Object interrupts = state.getValue("__interrupt__");
    return interrupts instanceof JsonArray ? output(state, (JsonArray) interrupts) : values(state);
  }

  /** The names of the graphs shown in LangGraph's form. */
  List<String> names() {
    return shown.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
  }
}
