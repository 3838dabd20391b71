package io.graphloop.server;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code metadata} and {@code kwargs} of LangGraph's Run object, filled as LangGraph Server fills them (its
 * {@code Runs.put}; measured on {@code langgraphjs dev} 1.5.1, whose code is a port of the Python server's), for runs
 * created every way (on a thread or stateless; background, stream, wait, batch):
 * <ul>
 *   <li>{@code metadata}: the assistant's metadata ({@code created_by: "system"} for a graph's own assistant), then
 *   the thread's (with its {@code graph_id} and {@code assistant_id}; none for a stateless run), then the run's own, a
 *   later key winning;</li>
 *   <li>{@code kwargs}: {@code input} (when the request has one) or {@code command}; {@code config}: the assistant's
 *   config, then the run's, with {@code configurable} merged the same way plus the request's {@code x-*} headers (not
 *   {@code x-api-key}, {@code x-tenant-id}, {@code x-service-key}) and {@code user-agent}, the run's checkpoint, and
 *   {@code run_id}, {@code thread_id}, {@code graph_id}, {@code assistant_id} (and {@code user_id},
 *   {@code langgraph_auth_user_id} when the caller is authenticated), and {@code metadata} (the run's, as above);
 *   {@code context} (the assistant's, then the run's); {@code stream_mode}; {@code interrupt_before} and
 *   {@code interrupt_after} and {@code feedback_keys} when given; {@code temporary} (a stateless run whose thread is
 *   deleted at its end, {@code on_completion} {@code delete}); {@code subgraphs}; {@code resumable}.</li>
 * </ul>
 * These are what the run was created with, for clients to read back; the graph itself receives the run's options
 * ({@link RunBody#options}), which do not carry the headers.
 *
 * <p>Stateless; any thread.
 */
final class RunFields {

  /** Headers LangGraph Server never copies into a run's config (secrets). */
  private static final Set<String> BLOCKED_HEADERS = Set.of("x-api-key", "x-tenant-id", "x-service-key");
  /** At most this many headers are copied (a request has few; the HTTP server bounds their size). */
  private static final int MAX_HEADERS = 64;

  private RunFields() {
  }

  /** The request headers LangGraph Server copies into a run's {@code config.configurable}: {@code x-*}, user-agent. */
  static JsonObject headers(MultiMap headers) {
    JsonObject copied = new JsonObject();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (copied.size() >= MAX_HEADERS) {
        break;
      }
      if (name.startsWith("x-") ? !BLOCKED_HEADERS.contains(name) : name.equals("user-agent")) {
        copied.put(name, header.getValue());
      }
    }
    return copied;
  }

  /**
   * The run's metadata: {@code assistant}'s, then {@code thread}'s ({@code null}: a stateless run), then the run's
   * own {@code run}; a later key wins.
   */
  static JsonObject metadata(JsonObject assistant, JsonObject thread, JsonObject run) {
    JsonObject merged = assistant.copy();
    if (thread != null) {
      merged.mergeIn(thread.copy());
    }
    return merged.mergeIn(run.copy());
  }

  /**
   * The run's kwargs, for run {@code runId} of {@code body} on {@code threadId} ({@code null}: stateless) of
   * {@code assistant}, by {@code user} ({@code null}: no auth), with {@code metadata} (from {@link #metadata}).
   */
  static JsonObject kwargs(RunBody body, Assistants.Assistant assistant, JsonObject metadata, String runId,
                           String threadId, String user) {
    JsonObject kwargs = new JsonObject();
    if (body.hasCommand) {
      kwargs.put("command", body.raw.getJsonObject("command").copy());
    } else if (body.raw.containsKey("input")) {
      kwargs.put("input", body.inputValue instanceof JsonObject ? ((JsonObject) body.inputValue).copy()
          : body.inputValue instanceof io.vertx.core.json.JsonArray ? ((io.vertx.core.json.JsonArray) body.inputValue).copy()
          : body.inputValue);
    }
    JsonObject configurable = new JsonObject();
    mergeConfigurable(configurable, assistant.config());
    mergeConfigurable(configurable, body.config);
    if (body.checkpointId != null) {
      configurable.put("checkpoint_id", body.checkpointId);
    }
    JsonObject checkpoint = body.raw.getJsonObject("checkpoint");
    if (checkpoint != null) {
      configurable.mergeIn(checkpoint.copy());
    }
    configurable.mergeIn(body.headers.copy());
    configurable.put("run_id", runId).put("thread_id", threadId).put("graph_id", assistant.graphId())
        .put("assistant_id", assistant.assistantId());
    if (user != null) {
      configurable.put("user_id", user).put("langgraph_auth_user_id", user);
    }
    JsonObject config = assistant.config().copy().mergeIn(body.config.copy());
    config.put("configurable", configurable).put("metadata", metadata.copy());
    kwargs.put("config", config);
    kwargs.put("context", assistant.context().copy().mergeIn(body.context.copy()));
    kwargs.put("stream_mode", new JsonArray(new ArrayList<>(body.streamModes)));
    if (body.interruptBefore != null) {
      kwargs.put("interrupt_before", new JsonArray(new ArrayList<>(body.interruptBefore)));
    }
    if (body.interruptAfter != null) {
      kwargs.put("interrupt_after", new JsonArray(new ArrayList<>(body.interruptAfter)));
    }
    if (body.feedbackKeys != null && !body.feedbackKeys.isEmpty()) {
      kwargs.put("feedback_keys", new JsonArray(new ArrayList<>(body.feedbackKeys)));
    }
    kwargs.put("temporary", threadId == null && "delete".equals(body.onCompletion));
    kwargs.put("subgraphs", body.streamSubgraphs).put("resumable", body.streamResumable);
    return kwargs;
  }

  private static void mergeConfigurable(JsonObject into, JsonObject config) {
    Object configurable = config.getValue("configurable");
    if (configurable instanceof JsonObject) {
      into.mergeIn(((JsonObject) configurable).copy());
    }
  }
}
