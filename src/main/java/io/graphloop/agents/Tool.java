package io.graphloop.agents;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Function;

/**
 * A tool a model may call: a name, a description for the model, the JSON schema of its arguments, and an async
 * execution. {@link #of} derives the schema from a Java record and converts the model's arguments to it;
 * {@link #blocking} runs the function on a worker thread.
 *
 * <p>Thread rules: {@link #call} is invoked on a node's event loop and must not block it; the tools made by
 * {@link #blocking} move their work to Vert.x's worker pool. Tools are immutable and thread-safe.
 */
public interface Tool {

  /** The tool's name, as the model calls it ({@code ^[a-zA-Z0-9_-]{1,64}$}). */
  String name();

  /** What the tool does, for the model. */
  String description();

  /** The JSON schema of the arguments (an {@code object} schema). */
  JsonObject parameters();

  /**
   * Runs the tool with the model's arguments. The result (a string, or any JSON-compatible value, sent to the model
   * as JSON) becomes the content of the tool message. A failed future (or a thrown exception) fails the tool node, or
   * becomes an error tool message for the model when the node handles tool errors (see {@link ToolNode}).
   */
  Future<Object> call(Map<String, Object> args, Vertx vertx);

  /** A non-blocking tool whose arguments are the record {@code argsType}, schema derived from its components. */
  static <A extends Record> Tool of(String name, String description, Class<A> argsType,
      Function<A, Future<?>> function) {
    return new RecordTool<>(name, description, argsType, function, false);
  }

  /** A tool whose function blocks (JDBC, files, a blocking SDK): it runs on Vert.x's worker pool. */
  static <A extends Record> Tool blocking(String name, String description, Class<A> argsType,
      Function<A, ?> function) {
    return new RecordTool<>(name, description, argsType, args -> Future.succeededFuture(function.apply(args)), true);
  }

  /** This tool as OpenAI's {@code tools} entry: {@code {"type": "function", "function": {name, description, parameters}}}. */
  default JsonObject toOpenAi() {
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name())
        .put("description", description()).put("parameters", parameters()));
  }
}
