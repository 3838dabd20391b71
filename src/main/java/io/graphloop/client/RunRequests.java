package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.protocol.RunRequest;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.run.RunOptions;

import java.util.Map;

/**
 * What a client's run request carries: its input, a resume value or a {@link Command} given as input (LangGraph's
 * {@code invoke(Command(...), config)}), and which Commands cannot be one.
 *
 * <p>Stateless and thread-safe.
 */
final class RunRequests {

  private RunRequests() {
  }

  /** Why {@code command} cannot be a run's input, or {@code null} when it can. */
  static String refusedAsInput(Command command) {
    if (Command.PARENT.equals(command.graph())) {
      return "A run's Command has no parent graph to go to (Command.PARENT is for nodes of subgraphs).";
    }
    if (!command.sends().isEmpty()) {
      return "A run's Command takes an update, goto targets (node names) and a resume value; Sends are returned by "
          + "nodes.";
    }
    if (command.resumeValue() == null && command.update().isEmpty() && command.goTo().isEmpty()) {
      return "The run's Command is empty (LangGraph's EmptyInputError): give it an update, goto targets or a resume "
          + "value.";
    }
    return null;
  }

  /** What the run requests carry for {@code command}: its resume value alone, or the Command itself. */
  static Object asInput(Command command) {
    return command.update().isEmpty() && command.goTo().isEmpty() ? command.resumeValue() : command;
  }

  /**
   * A run request; {@code resume} may be a Command given as input (update, goto, resume).
   *
   * @throws IllegalArgumentException when the input cannot be carried (see {@link #badInput})
   */
  static RunRequest request(Map<String, ?> input, Object resume, RunOptions options, StreamSpec stream,
                            String replyTo, long correlation, long tag) {
    if (resume instanceof Command) {
      Command command = (Command) resume;
      return new RunRequest(input, command.resumeValue(), command.update().isEmpty() ? null : command.update(),
          command.goTo(), options, stream, replyTo, correlation, tag);
    }
    return new RunRequest(input, resume, options, stream, replyTo, correlation, tag);
  }

  /** The failure of a request whose input {@link #request} refused. */
  static GraphloopException badInput(String graph, IllegalArgumentException e) {
    return new GraphloopException(FailureCode.BAD_REQUEST, "Bad input for graph '" + graph + "': " + e.getMessage());
  }
}
