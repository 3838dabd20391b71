package io.graphloop.internal.engine;

import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channel;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.graphloop.state.Write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a superstep's writes to the state through the channels (LangGraph's {@code apply_writes}). Writes to keys
 * that are not channels of a strict graph (a {@code strictChannels()} or typed graph) are dropped without an error, as
 * LangGraph 1.2.12 drops a node's writes to keys outside its state schema ({@code OutsideSchemaTest}).
 * Writes are grouped per channel in task order (the order of the {@code results} list, which is node
 * declaration order), never arrival order, so the outcome does not depend on timing.
 *
 * <p>Pure and stateless.
 */
public final class WriteApplier {

  private WriteApplier() {
  }

  /**
   * The state after {@code results}' updates.
   *
   * @throws InvalidUpdateException when writes break a channel's rule, naming graph, run, step, channel, nodes
   */
  public static State apply(CompiledGraph graph, String runId, State state, List<TaskResult> results, int step) {
    if (results.size() == 1) {
      TaskResult only = results.get(0);
      return applyOne(graph, runId, state, only.task().node(), only.update(), step);
    }
    Map<String, List<Write>> byChannel = new LinkedHashMap<>();
    for (TaskResult result : results) {
      for (Map.Entry<String, Object> entry : result.update().entrySet()) {
        byChannel.computeIfAbsent(entry.getKey(), k -> new ArrayList<>(2))
            .add(new Write(result.task().node(), entry.getValue()));
      }
    }
    if (byChannel.isEmpty()) {
      return state;
    }
    State.Builder next = state.toBuilder();
    for (Map.Entry<String, List<Write>> entry : byChannel.entrySet()) {
      String name = entry.getKey();
      if (graph.channel(name) != null) { // a key outside a strict graph's channels is dropped, as LangGraph's
        next.put(name, update(graph, runId, state, name, entry.getValue(), step));
      }
    }
    return next.build();
  }

  /** The state after the run's input, written by START before step 0 (so it goes through the reducers). */
  public static State applyInput(CompiledGraph graph, String runId, State state, Map<String, Object> input) {
    return applyOne(graph, runId, state, StateGraph.START, input, -1);
  }

  private static State applyOne(CompiledGraph graph, String runId, State state, String node, Map<String, Object> update,
                                int step) {
    if (update.isEmpty()) {
      return state;
    }
    State.Builder next = state.toBuilder();
    for (Map.Entry<String, Object> entry : update.entrySet()) {
      String name = entry.getKey();
      if (graph.channel(name) == null) { // a key outside a strict graph's channels is dropped, as LangGraph's
        continue;
      }
      // (the description is built only when the value is refused: this runs once per step)
      next.put(name, update(graph, runId, state, name, List.of(new Write(node, Values.freeze(entry.getValue(),
          () -> "channel '" + name + "'"))), step));
    }
    return next.build();
  }

  private static Object update(CompiledGraph graph, String runId, State state, String name, List<Write> writes,
                               int step) {
    Channel channel = graph.channel(name); // (never null here: keys outside a strict graph are dropped before)
    try {
      return channel.update(name, state.has(name), state.get(name), writes, step);
    } catch (InvalidUpdateException e) {
      throw e.graph() == null ? e.in(graph.name(), runId) : e;
    } catch (GraphloopException e) {
      // e.g. a failing reducer: the channel knows step and node, only the applier knows graph and run
      throw e.graph() == null ? new GraphloopException(e.code(), e.getMessage(), graph.name(), runId, e.step(),
          e.node(), e.getCause()) : e;
    }
  }
}
