package io.graphloop.protocol;

import io.graphloop.internal.bus.Correlations;
import io.graphloop.run.RunOptions;
import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A request to run a graph, sent to {@code graphloop.<graph>.run}. JSON form:
 * {@code {"input": {...}, "options": {"runId": "...", "recursionLimit": 25, "timeoutMs": 60000}}}, plus
 * {@code "stream": {"to": address, "modes": ["values", ...], "window": 256}} for a streamed run (see
 * {@link StreamSpec}). On a thread ({@code options.threadId}), a request without {@code input} continues the thread,
 * and {@code "command": {"resume": value}} (instead of {@code input}) answers its pending interrupts.
 *
 * <p>Immutable (the input is frozen, the options copied), so it travels by reference inside a JVM.
 */
public final class RunRequest {

  private final Map<String, Object> input;
  private final RunOptions options;
  private final StreamSpec stream;
  private final String replyTo;
  private final long correlation;
  private final long correlationTag;
  private final Object resume;
  private final Map<String, Object> update;
  private final List<String> goTo;

  /**
   * @throws IllegalArgumentException when the input is not JSON-compatible, naming the channel
   */
  public RunRequest(Map<String, ?> input, RunOptions options) {
    this(input, options, null);
  }

  /**
   * A request whose events are streamed as {@code stream} says ({@code null}: not streamed).
   *
   * @throws IllegalArgumentException when the input is not JSON-compatible, naming the channel
   */
  public RunRequest(Map<String, ?> input, RunOptions options, StreamSpec stream) {
    this(input, null, options, stream, null, 0, 0);
  }

  /**
   * The full form: {@code input} may be {@code null} to continue the thread from its checkpoint, and
   * {@code resume} (also possibly {@code null}) answers the thread's pending interrupts ({@code Command.resume}).
   * With {@code replyTo}, the outcome goes there as a {@link RunOutcome} carrying the correlation id
   * ({@code correlation} and {@code correlationTag}, see {@link Correlations}) instead of a reply to the event-bus
   * message ({@code replyTo == null}).
   */
  public RunRequest(Map<String, ?> input, Object resume, RunOptions options, StreamSpec stream, String replyTo,
                    long correlation, long correlationTag) {
    this(input, resume, null, null, options, stream, replyTo, correlation, correlationTag);
  }

  /**
   * The full form with a Command as input (LangGraph's {@code invoke(Command(update=..., goto=..., resume=...))}):
   * {@code update} (or {@code null}) is written through the reducers and the nodes of {@code goTo} (or {@code null})
   * run in the run's first step, beside what is due there; with {@code resume} as well, the thread's interrupts are
   * answered in that step.
   */
  public RunRequest(Map<String, ?> input, Object resume, Map<String, ?> update, List<String> goTo, RunOptions options,
                    StreamSpec stream, String replyTo, long correlation, long correlationTag) {
    if (input != null && (update != null || goTo != null && !goTo.isEmpty())) {
      throw new IllegalArgumentException("a run takes either an input or a command (update, goto, resume), not both");
    }
    this.update = update == null || update.isEmpty() ? null : Values.freezeUpdate(update, "the command's update");
    this.goTo = goTo == null ? List.of() : List.copyOf(goTo);
    if (input != null && resume != null) {
      throw new IllegalArgumentException("a run takes either an input (a new run on the thread) or a "
          + "command.resume (the answer to the thread's interrupts), not both; to change the state before resuming, "
          + "update it on graphloop.<graph>.threads with op \"update\" first");
    }
    this.input = input == null ? null : Values.freezeUpdate(input, "the run's input");
    this.resume = resume == null ? null : Values.freeze(resume, "the resume value");
    this.options = new RunOptions(options);
    this.stream = stream;
    this.replyTo = replyTo;
    this.correlation = correlation;
    this.correlationTag = correlationTag;
  }

  /** The update of a Command given as input, or {@code null}. */
  public Map<String, Object> commandUpdate() {
    return update;
  }

  /** The goto targets of a Command given as input (empty for none). */
  public List<String> commandGoto() {
    return goTo;
  }

  /** The answer to the thread's interrupts ({@code Command.resume}), or {@code null}. */
  public Object resume() {
    return resume;
  }

  /** Where the outcome goes as a {@link RunOutcome}, or {@code null} to reply to the message itself. */
  public String replyTo() {
    return replyTo;
  }

  /** The key of the id the outcome carries back (meaningful with {@link #replyTo()}). */
  public long correlation() {
    return correlation;
  }

  /** The tag of the id the outcome carries back (see {@link Correlations}). */
  public long correlationTag() {
    return correlationTag;
  }

  /** How the run's events are streamed, or {@code null} for a run answered with its result only. */
  public StreamSpec stream() {
    return stream;
  }

  /** The input, written to the channels by START (frozen); {@code null} to continue the thread. */
  public Map<String, Object> input() {
    return input;
  }

  /** A copy of the run's options. */
  public RunOptions options() {
    return new RunOptions(options);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("options", options.toJson());
    if (input != null) {
      json.put("input", new JsonObject(input));
    }
    if (resume != null || update != null || !goTo.isEmpty()) {
      JsonObject command = new JsonObject();
      if (resume != null) {
        command.put("resume", resume);
      }
      if (update != null) {
        command.put("update", new JsonObject(update));
      }
      if (!goTo.isEmpty()) {
        command.put("goto", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(goTo)));
      }
      json.put("command", command);
    }
    if (replyTo != null) {
      json.put("replyTo", replyTo).put("correlation", Correlations.toJson(correlation, correlationTag));
    }
    return stream == null ? json : json.put("stream", stream.toJson());
  }

  /**
   * Reads a request from JSON.
   *
   * @throws IllegalArgumentException saying which field is wrong and what it must be
   */
  public static RunRequest fromJson(JsonObject json) {
    JsonObject input = JsonFields.optionalObject(json, "input", "the run request");
    JsonObject options = JsonFields.optionalObject(json, "options", "the run request");
    JsonObject stream = JsonFields.optionalObject(json, "stream", "the run request");
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("The run request has an unknown field '" + field
            + "'; it takes 'input' (a JSON object), 'options' (a JSON object) and 'stream' (a JSON object), and "
            + "optionally 'replyTo' (an address) with 'correlation' (an integer, or 32 hex digits).");
      }
    }
    JsonObject command = JsonFields.optionalObject(json, "command", "the run request");
    if (command != null && !COMMAND_FIELDS.containsAll(command.fieldNames())) {
      throw new IllegalArgumentException("Field 'command' of the run request takes 'resume' (the answer to the "
          + "thread's interrupts), 'update' (a JSON object) and 'goto' (a node name or a list of them); it has "
          + command.fieldNames() + ".");
    }
    JsonObject update = command == null ? null : JsonFields.optionalObject(command, "update", "the run's command");
    List<String> goTo = new java.util.ArrayList<>();
    Object targets = command == null ? null : command.getValue("goto");
    if (targets instanceof String) {
      goTo.add((String) targets);
    } else if (targets instanceof io.vertx.core.json.JsonArray) {
      for (Object target : (io.vertx.core.json.JsonArray) targets) {
        if (!(target instanceof String)) {
          throw new IllegalArgumentException("Field 'goto' of the run's command must hold node names, but holds "
              + target + ".");
        }
        goTo.add((String) target);
      }
    } else if (targets != null) {
      throw new IllegalArgumentException("Field 'goto' of the run's command must be a node name or a list of them, "
          + "was " + targets + ".");
    }
    return new RunRequest(input == null ? null : input.getMap(), command == null ? null : command.getValue("resume"),
        update == null ? null : update.getMap(), goTo,
        options == null ? new RunOptions() : new RunOptions(options),
        stream == null ? null : StreamSpec.fromJson(stream), JsonFields.optionalString(json, "replyTo", "the run request"),
        Correlations.key(json.getValue("correlation"), 0, "the run request"),
        Correlations.tag(json.getValue("correlation"), "the run request"));
  }

  private static final java.util.Set<String> COMMAND_FIELDS = java.util.Set.of("resume", "update", "goto");

  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("input", "command", "options", "stream", "replyTo", "correlation");

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<RunRequest> {
    public Codec() {
      super("graphloop.RunRequest");
    }

    @Override
    JsonObject toJson(RunRequest body) {
      return body.toJson();
    }

    @Override
    RunRequest fromJson(JsonObject json) {
      return RunRequest.fromJson(json);
    }
  }
}
