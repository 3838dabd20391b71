package io.graphloop.errors;

/**
 * The root of Graphloop's unchecked exception family. Where a failure happened is kept in fields,
 * not only in the text: the graph, the run id, the superstep and the node (each {@code null} when
 * it does not apply, e.g. a validation error has no run).
 *
 * <p>Instances are immutable after construction and safe to pass between threads.
 */
public class GraphloopException extends RuntimeException {

  private final FailureCode code;
  private final String graph;
  private final String runId;
  private final Integer step;
  private final String node;

  public GraphloopException(FailureCode code, String message, String graph, String runId, Integer step,
                            String node, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.graph = graph;
    this.runId = runId;
    this.step = step;
    this.node = node;
  }

  public GraphloopException(FailureCode code, String message) {
    this(code, message, null, null, null, null, null);
  }

  /** The stable failure code (see {@link FailureCode}). */
  public FailureCode code() {
    return code;
  }

  /** The graph's name, or {@code null}. */
  public String graph() {
    return graph;
  }

  /** The run's id, or {@code null}. */
  public String runId() {
    return runId;
  }

  /** The superstep (0 is the first step after the input), or {@code null}. */
  public Integer step() {
    return step;
  }

  /** The node's name, or {@code null}. */
  public String node() {
    return node;
  }
}
