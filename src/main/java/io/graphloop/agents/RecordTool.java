package io.graphloop.agents;

import io.graphloop.internal.graph.ReflectiveAccess;
import io.graphloop.state.StateJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A {@link Tool} whose arguments are a Java record: the schema comes from {@link RecordSchemas}, the model's
 * arguments are converted with Jackson (a mismatch fails the call with what was wrong), and the function runs on the
 * event loop, or on the worker pool for a blocking tool.
 *
 * <p>Immutable; thread-safe if the function is.
 */
final class RecordTool<A extends Record> implements Tool {

  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private final String name;
  private final String description;
  private final Class<A> argsType;
  private final Function<A, Future<?>> function;
  private final boolean blocking;
  private final JsonObject parameters;

  RecordTool(String name, String description, Class<A> argsType, Function<A, Future<?>> function, boolean blocking) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("A tool's name must match ^[a-zA-Z0-9_-]{1,64}$ (OpenAI's rule), got '"
          + name + "'");
    }
    this.name = name;
    this.description = Objects.requireNonNull(description, "the description of tool '" + name + "'");
    this.argsType = Objects.requireNonNull(argsType, "the argument record of tool '" + name + "'");
    this.function = Objects.requireNonNull(function, "the function of tool '" + name + "'");
    this.blocking = blocking;
    ReflectiveAccess.requireReadable(argsType, "The argument record of tool '" + name + "'");
    this.parameters = RecordSchemas.of(argsType);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public JsonObject parameters() {
    return parameters.copy();
  }

  @Override
  public Future<Object> call(Map<String, Object> args, Vertx vertx) {
    A typed;
    try {
      typed = StateJson.mapper().convertValue(args, argsType);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("The arguments " + new JsonObject(args).encode()
          + " do not fit tool '" + name + "' (schema " + parameters.encode() + "): " + e.getMessage(), e));
    }
    if (blocking) {
      return vertx.executeBlocking(() -> function.apply(typed)).compose(f -> f.map(v -> (Object) v));
    }
    try {
      Future<?> result = function.apply(typed);
      return result == null ? Future.failedFuture(new IllegalStateException("Tool '" + name + "' returned null "
          + "instead of a Future")) : result.map(v -> (Object) v);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return "Tool '" + name + "'";
  }
}
