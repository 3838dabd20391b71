package io.graphloop.internal.engine;

import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.state.AppendChannel;
import io.graphloop.state.Channel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node that returns several Commands (LangGraph's {@code return [Command(...), Command(...)]}, plain update maps
 * allowed among them), read as one Command: the goto targets and Sends of all of them, in order, and their updates
 * as one write per channel. LangGraph writes each update separately; for a channel written by several of them the
 * combined write gives the same state: an append channel gets the elements of each in order, a reducer channel the
 * values folded in order (the same for an associative reducer, such as LangGraph's {@code operator.add}), and a
 * last-value channel refuses them as two writes in one step, as LangGraph does. The separate writes are kept for the
 * streams ({@link #repeatedWrites}): LangGraph's {@code updates} chunk lists them one by one when a channel is written
 * more than once.
 *
 * <p>Pure and stateless.
 */
public final class CommandLists {

  private CommandLists() {
  }

  /** Whether {@code output} is a collection holding at least one Command. */
  public static boolean isCommandList(Object output) {
    if (!(output instanceof Collection)) {
      return false;
    }
    for (Object item : (Collection<?>) output) {
      if (item instanceof Command) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one Command {@code outputs} stand for.
   *
   * @throws IllegalArgumentException when an element is neither a Command nor an update map, or a Command is for
   *                                  the parent graph
   * @throws InvalidUpdateException when two of them write one last-value channel
   */
  public static Command combine(CompiledGraph graph, Collection<?> outputs, String node) {
    Map<String, Object> update = new LinkedHashMap<>();
    List<String> goTo = new ArrayList<>();
    List<io.graphloop.graph.Send> sends = new ArrayList<>();
    for (Object output : outputs) {
      Map<String, Object> part;
      if (output instanceof Command) {
        Command command = (Command) output;
        if (command.graph() != null) {
          throw new IllegalArgumentException("Node '" + node + "' returned a list holding " + command + "; a Command "
              + "for the parent graph must be returned alone.");
        }
        part = command.update();
        goTo.addAll(command.goTo());
        sends.addAll(command.sends());
      } else if (output instanceof Map || output == null) {
        part = NodeOutputs.toUpdate(output, node);
      } else {
        throw new IllegalArgumentException("Node '" + node + "' returned a list holding " + output.getClass().getName()
            + "; a list of outputs holds Commands and update maps.");
      }
      part.forEach((key, value) -> {
        update.merge(key, value, (before, after) -> combine(graph, key, before, after, node));
      });
    }
    Command combined = Command.ofUpdate(update).andGoto(goTo.toArray(new String[0]));
    return combined.andSend(sends.toArray(new io.graphloop.graph.Send[0]));
  }

  /**
   * The writes of {@code outputs} one by one, in the order returned ({@code {channel: value}} each, keys outside
   * {@code kept} left out), when some channel of {@code kept} is written more than once; otherwise an empty list (the
   * combined update says it all). LangGraph's {@code map_output_updates} streams such a task's {@code updates} as
   * this list.
   */
  public static List<Map<String, Object>> repeatedWrites(Collection<?> outputs, java.util.Set<String> kept) {
    List<Map<String, Object>> writes = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    boolean repeated = false;
    for (Object output : outputs) {
      Map<?, ?> part = output instanceof Command ? ((Command) output).update()
          : output instanceof Map ? (Map<?, ?>) output : Map.of();
      for (Map.Entry<?, ?> write : part.entrySet()) {
        String key = String.valueOf(write.getKey());
        if (kept.contains(key)) {
          repeated |= !seen.add(key);
          writes.add(java.util.Collections.singletonMap(key, write.getValue()));
        }
      }
    }
    return repeated ? writes : List.of();
  }

  /**
   * A task's writes folded as LangGraph's task result ({@code map_task_result_writes}): {@code {channel: value}}, or
   * {@code {channel: {"$writes": [value, ...]}}} for a channel written more than once.
   */
  public static Map<String, Object> taskResult(List<Map<String, Object>> writes) {
    Map<String, List<Object>> byChannel = new LinkedHashMap<>();
    for (Map<String, Object> write : writes) {
      write.forEach((channel, value) -> byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(value));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    byChannel.forEach((channel, values) -> result.put(channel, values.size() == 1 ? values.get(0)
        : Map.of("$writes", values)));
    return result;
  }

  private static Object combine(CompiledGraph graph, String key, Object before, Object after, String node) {
    Channel channel = graph.channel(key);
    if (channel instanceof AppendChannel) {
      List<Object> all = new ArrayList<>();
      appendTo(all, before);
      appendTo(all, after);
      return all;
    }
    if (channel instanceof io.graphloop.state.ReducerChannel) {
      return channel.update(key, true, before, List.of(new io.graphloop.state.Write(node, after)), -1);
    }
    throw new InvalidUpdateException("Node '" + node + "' returned several updates of channel '" + key + "', a "
        + "last-value channel, which takes one value per step; declare a reducer for it (e.g. Channels.append()).",
        graph.name(), null, null, key, List.of(node, node));
  }

  private static void appendTo(List<Object> all, Object value) {
    if (value instanceof List) {
      all.addAll((List<?>) value);
    } else {
      all.add(value);
    }
  }
}
