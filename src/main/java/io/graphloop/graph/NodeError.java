package io.graphloop.graph;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.RemoteCause;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an error handler learns about the failure it handles (LangGraph 1.2.12's {@code NodeError}): the node whose
 * execution failed after its retries, the failure's type and message, and the attempts it took. An error handler
 * reads it with {@link NodeContext#nodeError()}; see {@link StateGraph#errorHandler(String, AsyncNode)}.
 *
 * <p>The failure is kept as its type and message, not as the exception object: the context travels to the handler's
 * node over the event bus (a cluster member may run it) and is stored with the thread's checkpoint, so that a handler
 * that crashed runs again on a resume with the same context (LangGraph's resumed handler likewise receives the error
 * as it was serialized).
 *
 * <p>Immutable; safe from any thread.
 *
 * @param node      the failed node's name (for a subgraph node: the subgraph node, not the child's node)
 * @param errorType the fully qualified class name of the node's own exception (the cause of the run's
 *                  {@link NodeFailedException}; a remote node's as reported by its member)
 * @param message   that exception's message (may be null)
 * @param attempts  the attempts the node took before its failure was handed to the handler (its retry policy's)
 */
public record NodeError(String node, String errorType, String message, int attempts) {

  /** The key of the run's configuration under which a handler's request carries its context (reserved). */
  public static final String CONFIG_KEY = "__graphloop_node_error__";

  public NodeError {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(errorType, "errorType");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts + " (node '" + node + "')");
    }
  }

  /** The context of {@code failure}, the failure of node {@code node} after {@code attempts} attempts. */
  public static NodeError of(String node, Throwable failure, int attempts) {
    Throwable own = failure instanceof NodeFailedException && failure.getCause() != null ? failure.getCause() : failure;
    String type = own instanceof RemoteCause ? ((RemoteCause) own).className() : own.getClass().getName();
    return new NodeError(node, type, own.getMessage(), attempts);
  }

  /** Whether the node's exception was of type {@code type} (by name, so it holds for a remote node's failure too). */
  public boolean isA(Class<? extends Throwable> type) {
    return type.getName().equals(errorType);
  }

  /** As stored and sent: {@code node}, {@code type}, {@code message}, {@code attempts}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("node", node);
    map.put("type", errorType);
    map.put("message", message);
    map.put("attempts", attempts);
    return map;
  }

  /**
   * The context {@link #toMap()} stored.
   *
   * @throws IllegalArgumentException when {@code map} is not such a context, saying what is wrong
   */
  public static NodeError fromMap(Map<?, ?> map) {
    Object node = map.get("node");
    Object type = map.get("type");
    Object message = map.get("message");
    Object attempts = map.get("attempts");
    if (!(node instanceof String) || !(type instanceof String) || message != null && !(message instanceof String)
        || !(attempts instanceof Number)) {
      throw new IllegalArgumentException("A node error context needs a string 'node', a string 'type', a string or "
          + "null 'message' and a number 'attempts', was " + map);
    }
    return new NodeError((String) node, (String) type, (String) message, ((Number) attempts).intValue());
  }

  @Override
  public String toString() {
    return "Node '" + node + "' failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + errorType
        + (message == null ? "" : ": " + message);
  }
}
