package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;

/**
 * What the parity tests compare with LangGraph's printed outputs: stream chunks in LangGraph's form (a mode's chunks,
 * or {@code [mode, chunk]} pairs for several modes), history lines and small builders of JSON-like values. Test code;
 * call it from a test thread (it waits with {@link Await}), never from an event loop.
 */
final class Parity {

  private Parity() {
  }

  static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, ThreadStateTest.MEMORY)).client();
  }

  /** A map in insertion order (values may be null). */
  static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** A list that may hold nulls. */
  static List<Object> list(Object... items) {
    return Arrays.asList(items);
  }

  /** A Future completed with {@code value} after {@code ms} (a node that takes as long as LangGraph's sleeps). */
  static <T> Future<T> later(Vertx vertx, long ms, T value) {
    if (ms <= 0) {
      return Future.succeededFuture(value);
    }
    Promise<T> promise = Promise.promise();
    vertx.setTimer(ms, id -> promise.complete(value));
    return promise.future();
  }

  /** The chunks of a run streamed in one mode ({@code input} null: continue the thread). */
  static List<Object> chunks(Vertx vertx, GraphClient client, Map<String, ?> input, RunOptions options,
                             StreamMode mode) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : events(vertx, client, input, null, options, mode)) {
      out.add(event.data());
    }
    return out;
  }

  /** The chunks of a run continuing the thread of {@code options} without input ({@code stream(None, config)}). */
  static List<Object> resumed(Vertx vertx, GraphClient client, RunOptions options, StreamMode mode) {
    return chunks(vertx, client, (Map<String, ?>) null, options, mode);
  }

  /** The chunks of a run with {@code command} as its input, streamed in one mode. */
  static List<Object> chunks(Vertx vertx, GraphClient client, Command command, RunOptions options, StreamMode mode) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : events(vertx, client, null, command, options, mode)) {
      out.add(event.data());
    }
    return out;
  }

  /** {@code [mode, chunk]} pairs of a run streamed in several modes, as LangGraph's list of modes gives them. */
  static List<Object> pairs(Vertx vertx, GraphClient client, Map<String, ?> input, RunOptions options,
                            StreamMode... modes) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : events(vertx, client, input, null, options, modes)) {
      out.add(List.of(event.event().wireName(), event.data()));
    }
    return out;
  }

  /** The non-terminal events of a run (the terminal one is checked: an error event fails the test). */
  static List<StreamEvent> events(Vertx vertx, GraphClient client, Map<String, ?> input, Command command,
                                  RunOptions options, StreamMode... modes) {
    List<StreamEvent> all = result(collect(vertx, () -> command == null ? client.stream(input, options, modes)
        : client.stream(command, options, modes)));
    StreamEvent last = all.get(all.size() - 1);
    if (last.event() == StreamEventType.ERROR) {
      throw new AssertionError("the run failed: " + last.data());
    }
    return all.subList(0, all.size() - 1);
  }

  /** {@code [source, step, next]} of each checkpoint of the thread's history, newest first. */
  static List<Object> steps(GraphClient client, String thread) {
    List<Object> lines = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory(thread, 0, null))) {
      lines.add(List.of(state.source().wireName(), state.step(), state.next()));
    }
    return lines;
  }

  /** {@code {"tasks": [{"name", "result"}], "values"}} of each checkpoint, newest first (LangGraph's map_snapshot). */
  static List<Object> taskResults(GraphClient client, String thread) {
    List<Object> lines = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory(thread, 0, null))) {
      List<Object> tasks = new ArrayList<>();
      state.tasks().forEach(task -> tasks.add(map("name", task.get("node"), "result", task.get("result"))));
      lines.add(map("tasks", tasks, "values", state.values().asMap()));
    }
    return lines;
  }

  /**
   * A thread's current state as interruption_parity.py's {@code state(...)} prints it: values, next, tasks as
   * {@code [name, result, [{"value"}]]}, source, step, interrupts as {@code {"value"}}, the history's length.
   */
  static Map<String, Object> snapshot(GraphClient client, String thread) {
    ThreadState state = result(client.getState(thread));
    List<Object> tasks = new ArrayList<>();
    for (Map<String, Object> task : state.tasks()) {
      List<Object> asked = new ArrayList<>();
      for (Object value : (List<?>) task.get("interrupts")) {
        asked.add(map("value", value));
      }
      tasks.add(list(task.get("node"), task.get("result"), asked));
    }
    return map("values", state.values().asMap(), "next", state.next(), "tasks", tasks,
        "source", state.source().wireName(), "step", state.step(), "interrupts", values(state.interrupts()),
        "history", result(client.getStateHistory(thread, 0, null)).size());
  }

  /** Interrupts as {@code {"value": v}} (ids and node names dropped), LangGraph's {@code Interrupt} printed. */
  static List<Object> values(List<Map<String, Object>> interrupts) {
    List<Object> out = new ArrayList<>();
    interrupts.forEach(interrupt -> out.add(map("value", interrupt.get("value"))));
    return out;
  }

  /** Stream chunks with each {@code __interrupt__} list's entries as {@code {"value": v}}. */
  @SuppressWarnings("unchecked")
  static List<Object> withoutIds(List<Object> chunks) {
    List<Object> out = new ArrayList<>();
    for (Object chunk : chunks) {
      Map<String, Object> map = (Map<String, Object>) chunk;
      if (map.get("__interrupt__") instanceof List<?> interrupts) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put("__interrupt__", values((List<Map<String, Object>>) interrupts));
        out.add(copy);
      } else {
        out.add(chunk);
      }
    }
    return out;
  }
}
