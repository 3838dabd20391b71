package io.graphloop.run;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stream carries, as LangGraph's {@code stream_mode}. Several modes may be combined.
 *
 * <ul>
 *   <li>{@link #VALUES}: the full state after the input is applied and after each step;</li>
 *   <li>{@link #UPDATES}: each node's partial update, as it completes, keyed by node;</li>
 *   <li>{@link #TASKS}: each task's start (input) and end (result or error, duration);</li>
 *   <li>{@link #DEBUG}: {@code TASKS} plus a checkpoint-like event after each step (step, next nodes, values);</li>
 *   <li>{@link #CUSTOM}: whatever nodes emit while they run ({@code NodeContext.emit}), e.g. progress or tokens;</li>
 *   <li>{@link #MESSAGES}: LangGraph's {@code messages} mode: each chunk of a chat model's answer as it streams
 *       ({@code NodeContext.emitMessage}, called for you by a chat model invoked inside a node), and each message a
 *       node writes that was not streamed already; data {@code {"message": {...}, "metadata": {...}}} (LangGraph's
 *       {@code (message, metadata)} tuple, metadata with {@code langgraph_node}, {@code langgraph_step}, ...).</li>
 * </ul>
 */
public enum StreamMode {
  VALUES, UPDATES, TASKS, DEBUG, CUSTOM, MESSAGES;

  /** The mode's wire name: lower case, as LangGraph's. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code name} (LangGraph's names: values, updates, tasks, debug, custom, messages).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static StreamMode of(String name) {
    for (StreamMode mode : values()) {
      if (mode.wireName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("Unknown stream mode '" + name + "'; stream modes are " + names() + ".");
  }

  /** The wire names of all modes. */
  public static List<String> names() {
    return Arrays.stream(values()).map(StreamMode::wireName).collect(Collectors.toList());
  }

  /** The set of modes named in {@code names}. */
  public static Set<StreamMode> setOf(List<String> names) {
    Set<StreamMode> modes = EnumSet.noneOf(StreamMode.class);
    names.forEach(name -> modes.add(of(name)));
    return modes;
  }
}
