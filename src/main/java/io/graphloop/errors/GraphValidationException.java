package io.graphloop.errors;

import java.util.List;

/**
 * A graph failed validation at compile time. Every problem found is listed, each with how to fix it.
 */
public class GraphValidationException extends GraphloopException {

  private final List<String> problems;

  public GraphValidationException(String graph, List<String> problems) {
    super(FailureCode.INVALID_GRAPH, "Graph '" + graph + "' is invalid (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems),
        graph, null, null, null, null);
    this.problems = List.copyOf(problems);
  }

  /** Each problem found, one sentence each, in a stable order. */
  public List<String> problems() {
    return problems;
  }
}
