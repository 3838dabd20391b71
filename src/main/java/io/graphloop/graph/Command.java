package io.graphloop.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node returns to update the state and say where to go next in one answer, as LangGraph's
 * {@code Command(update=..., goto=...)}: a partial update, plus nodes to run in the next step (names, or
 * END) and {@link Send}s. The targets are added to the node's static and conditional edges; both happen.
 *
 * <pre>{@code
 * .addNode("review", (state, ctx) -> Future.succeededFuture(
 *     Command.gotoNode(state.getBoolean("approved") ? END : "write").update(Map.of("reviewed", true))),
 *     new NodeOptions().setDestinations(List.of("write", END)))
 * }</pre>
 *
 * <p>A node that routes only by Command has no outgoing edge, so declare where it may go with
 * {@link NodeOptions#setDestinations} for the validator. A goto target that is not a node of the graph
 * (or END) fails the run with an {@code InvalidUpdateException} naming the known nodes. The update and the
 * Sends' inputs are frozen when the node's output is read; values that are not JSON-compatible fail the
 * run with an {@code InvalidUpdateException} naming the node.
 *
 * <p>Immutable: every method that changes something returns a new Command. Built with factories and
 * {@code with}-style methods rather than a public constructor, so that fields can be added (such as
 * {@code resume} for interrupts) without breaking callers. Thread-safe.
 */
public final class Command {

  /**
   * The {@link #graph} of a Command that a node of a subgraph sends to its parent graph (LangGraph's
   * {@code Command.PARENT}).
   */
  public static final String PARENT = "__parent__";

  private static final Command EMPTY = new Command(Map.of(), List.of(), List.of());

  private final Map<String, Object> update;
  private final List<String> goTo;
  private final List<Send> sends;
  private final Object resume;
  private final String graph;

  private Command(Map<String, Object> update, List<String> goTo, List<Send> sends) {
    this(update, goTo, sends, null, null);
  }

  private Command(Map<String, Object> update, List<String> goTo, List<Send> sends, Object resume, String graph) {
    this.update = update;
    this.goTo = goTo;
    this.sends = sends;
    this.resume = resume;
    this.graph = graph;
  }

  /**
   * A Command that resumes a thread's interrupted run (LangGraph's {@code Command(resume=value)}): pass it instead
   * of an input to {@code GraphClient.invoke(command, options)} with the thread's id; the interrupted node runs
   * again from its start and its {@code interrupt(...)} call returns {@code value} (JSON-compatible).
   */
  public static Command resume(Object value) {
    return new Command(Map.of(), List.of(), List.of(),
        io.graphloop.state.Values.freeze(java.util.Objects.requireNonNull(value, "value"), "the resume value"), null);
  }

  /**
   * This Command answering the thread's interrupts with {@code value} as well (LangGraph's
   * {@code Command(resume=value, update=..., goto=...)} as a run's input): the update is applied and the goto
   * targets are added before the interrupted tasks run again.
   */
  public Command andResume(Object value) {
    return new Command(update, goTo, sends,
        io.graphloop.state.Values.freeze(java.util.Objects.requireNonNull(value, "value"), "the resume value"), graph);
  }

  /**
   * This Command addressed to {@code graph}: {@link #PARENT} sends it from a node of a subgraph to the parent graph
   * (LangGraph's {@code Command(graph=Command.PARENT, ...)}): the child run stops there, and the parent's subgraph
   * node returns this Command (its update through the parent's reducers, its goto among the parent's nodes, which the
   * parent's subgraph node declares with {@link NodeOptions#setDestinations}); {@code null} addresses the node's own
   * graph.
   *
   * @throws IllegalArgumentException for any other value
   */
  public Command graph(String graph) {
    if (graph != null && !PARENT.equals(graph)) {
      throw new IllegalArgumentException("A Command's graph is Command.PARENT (\"" + PARENT + "\") or null (the node's "
          + "own graph), not '" + graph + "'.");
    }
    return new Command(update, goTo, sends, resume, graph);
  }

  /** The graph this Command is addressed to: {@link #PARENT}, or {@code null} for the node's own graph. */
  public String graph() {
    return graph;
  }

  /** The resume value, or {@code null} when this Command is not a resume. */
  public Object resumeValue() {
    return resume;
  }

  /** A Command that goes to {@code node} (a node name, or END) in the next step. */
  public static Command gotoNode(String node) {
    return EMPTY.andGoto(node);
  }

  /** A Command that goes to all of {@code nodes} (names, or END) in the next step; they run in parallel. */
  public static Command gotoNodes(String... nodes) {
    return EMPTY.andGoto(nodes);
  }

  /** A Command that goes to all of {@code nodes} (names, or END) in the next step; they run in parallel. */
  public static Command gotoNodes(Collection<String> nodes) {
    return EMPTY.andGoto(nodes.toArray(new String[0]));
  }

  /** A Command that runs one task per Send in the next step (map-reduce). */
  public static Command send(Send... sends) {
    return EMPTY.andSend(sends);
  }

  /** A Command that runs one task per Send in the next step (map-reduce). */
  public static Command send(Collection<Send> sends) {
    return EMPTY.andSend(sends.toArray(new Send[0]));
  }

  /** A Command with only an update; add targets with {@link #andGoto} or {@link #andSend}. */
  public static Command ofUpdate(Map<String, ?> update) {
    return EMPTY.update(update);
  }

  /**
   * LangGraph's {@code Command(update=update, goto=goTo)}.
   *
   * @param update the partial update; {@code null} for none
   * @param goTo   a node name (or END), a {@link Send}, a collection mixing them, or {@code null} for none
   * @throws IllegalArgumentException when {@code goTo} holds anything else
   */
  public static Command of(Map<String, ?> update, Object goTo) {
    Command command = EMPTY.update(update);
    if (goTo == null) {
      return command;
    }
    for (Object target : goTo instanceof Collection ? (Collection<?>) goTo : List.of(goTo)) {
      if (target instanceof String) {
        command = command.andGoto((String) target);
      } else if (target instanceof Send) {
        command = command.andSend((Send) target);
      } else {
        throw new IllegalArgumentException("A Command's goto holds " + (target == null ? "null"
            : "a " + target.getClass().getName()) + "; it takes node names (or END), Sends, or a collection of them.");
      }
    }
    return command;
  }

  /** This Command with {@code update} as its partial update (replacing any earlier one); {@code null} for none. */
  public Command update(Map<String, ?> update) {
    Map<String, Object> copy = update == null || update.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(update));
    return new Command(copy, goTo, sends, resume, graph);
  }

  /** This Command going also to {@code nodes} (names, or END). */
  public Command andGoto(String... nodes) {
    List<String> more = new ArrayList<>(goTo);
    for (String node : nodes) {
      more.add(Objects.requireNonNull(node, "a goto target is null; use a node name or END"));
    }
    return new Command(update, List.copyOf(more), sends, resume, graph);
  }

  /** This Command running also one task per Send. */
  public Command andSend(Send... more) {
    List<Send> all = new ArrayList<>(sends);
    for (Send send : more) {
      all.add(Objects.requireNonNull(send, "a Send is null"));
    }
    return new Command(update, goTo, List.copyOf(all), resume, graph);
  }

  /** The partial update (a shallow, unmodifiable copy of the map given; frozen when the output is read). */
  public Map<String, Object> update() {
    return update;
  }

  /** The nodes (or END) to run in the next step, in the order given; unmodifiable. */
  public List<String> goTo() {
    return goTo;
  }

  /** The Sends to run in the next step, in the order given; unmodifiable. */
  public List<Send> sends() {
    return sends;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Command && update.equals(((Command) o).update) && goTo.equals(((Command) o).goTo)
        && sends.equals(((Command) o).sends) && Objects.equals(resume, ((Command) o).resume)
        && Objects.equals(graph, ((Command) o).graph);
  }

  @Override
  public int hashCode() {
    return Objects.hash(update, goTo, sends, resume, graph);
  }

  @Override
  public String toString() {
    return "Command(update=" + update + ", goto=" + goTo + ", sends=" + sends
        + (resume == null ? "" : ", resume=" + resume) + (graph == null ? "" : ", graph=" + graph) + ")";
  }
}
