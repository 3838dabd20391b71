package io.graphloop.protocol;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.errors.RemoteCause;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.RunEndedException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of Graphloop's exceptions, for failures that cross JVMs and for HTTP bodies:
 * {@code {"type", "code", "message", "graph", "runId", "step", "node", ..., "cause": {"class", "message"}}}, where
 * "..." are the fields of the exception's type (e.g. {@code attempt}, {@code timeoutMs}, {@code channel},
 * {@code limit}, a run's {@code lastState}, an interrupt's {@code value}).
 * Reading it back gives the same exception type with the same fields; the cause becomes a
 * {@link RemoteCause}.
 *
 * <p>Stateless.
 */
public final class Failures {

  private Failures() {
  }

  /**
   * The structured failure that {@code cause} carries: a {@link FailureReply}'s, or {@code cause} itself when it is
   * a {@link GraphloopException}; {@code null} for anything else (a plain {@code ReplyException}, say), which the
   * caller maps with what it knows.
   */
  public static GraphloopException carried(Throwable cause) {
    if (cause instanceof FailureReply) {
      return ((FailureReply) cause).failure();
    }
    return cause instanceof GraphloopException ? (GraphloopException) cause : null;
  }

  public static JsonObject toJson(GraphloopException e) {
    JsonObject json = new JsonObject().put("type", e.getClass().getSimpleName()).put("code", e.code().code())
        .put("message", e.getMessage()).put("graph", e.graph()).put("runId", e.runId()).put("step", e.step())
        .put("node", e.node());
    if (e instanceof NodeFailedException) {
      json.put("attempt", ((NodeFailedException) e).attempt()).put("maxAttempts", ((NodeFailedException) e).maxAttempts());
    }
    if (e instanceof NodeTimeoutException) {
      NodeTimeoutException timeout = (NodeTimeoutException) e;
      json.put("timeoutMs", timeout.timeoutMs()).put("timeoutKind", timeout.kind().wireName())
          .put("runTimeoutMs", timeout.runTimeoutMs()).put("idleTimeoutMs", timeout.idleTimeoutMs())
          .put("elapsedMs", timeout.elapsedMs());
    }
    if (e instanceof InvalidUpdateException) {
      json.put("channel", ((InvalidUpdateException) e).channel())
          .put("writers", new JsonArray(new ArrayList<>(((InvalidUpdateException) e).writers())));
    }
    if (e instanceof GraphRecursionException) {
      json.put("limit", ((GraphRecursionException) e).limit());
    }
    if (e instanceof GraphInterrupt) {
      json.put("value", ((GraphInterrupt) e).payload());
    }
    if (e instanceof io.graphloop.errors.ParentCommand) {
      io.graphloop.graph.Command command = ((io.graphloop.errors.ParentCommand) e).command();
      json.put("command", new NodeReply(command.update(), command.goTo(), command.sends()).toJson());
    }
    if (e instanceof LimitReachedException) {
      json.put("limitName", ((LimitReachedException) e).limitName()).put("limit", ((LimitReachedException) e).limit());
    }
    if (e instanceof RunTimeoutException) {
      json.put("timeoutMs", ((RunTimeoutException) e).timeoutMs());
    }
    if (e instanceof RunEndedException && ((RunEndedException) e).lastState() != null) {
      json.put("lastState", new JsonObject(((RunEndedException) e).lastState()));
    }
    Throwable cause = e.getCause();
    if (cause != null) {
      String className = cause instanceof RemoteCause ? ((RemoteCause) cause).className() : cause.getClass().getName();
      json.put("cause", new JsonObject().put("class", className).put("message", cause.getMessage()));
    }
    return json;
  }

  /**
   * {@code failure} as LangGraph's clients see an error ({@code {"error", "message"}}, LangGraph Server's JSON of an
   * exception: {@code type(e).__name__} and {@code str(e)}): for a node that threw, the node's exception (its simple
   * class name and its message); otherwise the failure's own simple class name and message.
   */
  public static JsonObject asLangGraphError(Throwable failure) {
    Throwable cause = failure.getCause();
    if (failure instanceof NodeFailedException && cause != null) {
      String name = cause instanceof RemoteCause ? ((RemoteCause) cause).className() : cause.getClass().getName();
      String message = cause.getMessage();
      return new JsonObject().put("error", name.substring(name.lastIndexOf('.') + 1))
          .put("message", message == null ? failure.getMessage() : message);
    }
    return new JsonObject().put("error", failure.getClass().getSimpleName()).put("message", failure.getMessage());
  }

  public static GraphloopException fromJson(JsonObject json) {
    FailureCode code = FailureCode.of(json.getInteger("code", FailureCode.INTERNAL.code()));
    String message = json.getString("message");
    String graph = json.getString("graph");
    String runId = json.getString("runId");
    Integer step = json.getInteger("step");
    String node = json.getString("node");
    JsonObject causeJson = json.getJsonObject("cause");
    Throwable cause = causeJson == null ? null
        : new RemoteCause(causeJson.getString("class", "unknown"), causeJson.getString("message"));
    int stepOrZero = step == null ? 0 : step;
    switch (json.getString("type", "")) {
      case "NodeTimeoutException":
        boolean idle = "idle".equals(json.getString("timeoutKind"));
        return new NodeTimeoutException(graph, runId, stepOrZero, node, json.getInteger("attempt", 1),
            json.getInteger("maxAttempts", 1), idle ? NodeTimeoutException.Kind.IDLE : NodeTimeoutException.Kind.RUN,
            json.getLong("runTimeoutMs", idle ? 0L : json.getLong("timeoutMs", 0L)),
            json.getLong("idleTimeoutMs", idle ? json.getLong("timeoutMs", 0L) : 0L), json.getLong("elapsedMs", -1L));
      case "NodeFailedException":
        return new NodeFailedException(graph, runId, stepOrZero, node, json.getInteger("attempt", 1),
            json.getInteger("maxAttempts", 1), cause);
      case "InvalidUpdateException":
        List<String> writers = new ArrayList<>();
        JsonArray array = json.getJsonArray("writers", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
          writers.add(array.getString(i));
        }
        return new InvalidUpdateException(message, graph, runId, step, json.getString("channel"), writers);
      case "GraphRecursionException":
        return new GraphRecursionException(graph, runId, stepOrZero, json.getInteger("limit", 0));
      case "GraphInterrupt":
        return new GraphInterrupt(Values.freeze(json.getValue("value"), "the payload of an interrupt"), graph, runId,
            step, node);
      case "ParentCommand":
        NodeReply sent = NodeReply.fromJson(json.getJsonObject("command", new JsonObject()));
        return new io.graphloop.errors.ParentCommand(io.graphloop.graph.Command.of(sent.update(), null)
            .andGoto(sent.goTo().toArray(new String[0])).andSend(sent.sends().toArray(new io.graphloop.graph.Send[0])),
            graph, runId, step, node);
      case "LimitReachedException":
        return new LimitReachedException(message, graph, runId, step, node, json.getString("limitName"),
            json.getInteger("limit", 0));
      case "RunCancelledException":
        return RunCancelledException.withMessage(message, graph, runId, step, lastState(json));
      case "RunTimeoutException":
        return new RunTimeoutException(graph, runId, step, json.getLong("timeoutMs", 0L), lastState(json));
      default:
        return new GraphloopException(code, message, graph, runId, step, node, cause);
    }
  }

  private static java.util.Map<String, Object> lastState(JsonObject json) {
    JsonObject state = json.getJsonObject("lastState");
    return state == null ? null : Values.freezeUpdate(state.getMap(), "the lastState of a failure");
  }
}
