package io.graphloop.errors;

import java.util.List;

/**
 * A node's update broke a channel's rule: two writes to a last-value channel in one step, a write to
 * an undeclared channel of a strict graph, or a value that is not JSON-compatible. Not retryable: it
 * is a programming error in the graph.
 */
public class InvalidUpdateException extends GraphloopException {

  private final String channel;
  private final List<String> writers;

  public InvalidUpdateException(String message, String graph, String runId, Integer step, String channel,
                                List<String> writers) {
    super(FailureCode.INVALID_UPDATE, message, graph, runId, step, writers.size() == 1 ? writers.get(0) : null, null);
    this.channel = channel;
    this.writers = List.copyOf(writers);
  }

  /** The channel whose rule was broken. */
  public String channel() {
    return channel;
  }

  /** The nodes that wrote the channel in that step, in the order their writes were applied. */
  public List<String> writers() {
    return writers;
  }

  /** The same failure with the graph and run filled in, for code that learns them later. */
  public InvalidUpdateException in(String graphName, String id) {
    return new InvalidUpdateException(getMessage(), graphName, id, step(), channel, writers);
  }
}
