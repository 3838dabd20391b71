package io.graphloop.runtime;

import io.graphloop.internal.engine.Task;
import io.graphloop.state.State;
import io.graphloop.state.Values;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code messages} stream mode of one run, as LangGraph's {@code StreamMessagesHandler}: makes the
 * {@code {"message", "metadata"}} data of each chunk a node's chat model streamed, and, when a task ends, of each
 * message the task wrote that was neither in its input nor streamed already (a tool's answer, a message a node made
 * itself), deduplicated by id. A message whose chunks were dropped on the way ({@link #lost}) is sent whole when its
 * task writes it, so a consumer always gets the complete message.
 *
 * <p>Metadata: the run's configuration values LangGraph copies ({@code thread_id}, {@code run_id},
 * {@code assistant_id}, {@code graph_id}, ...), the run's {@code thread_id}, {@code ls_integration}, {@code langgraph_step},
 * {@code langgraph_node}, {@code langgraph_triggers}, {@code langgraph_path}, {@code langgraph_checkpoint_ns}, and for
 * chunks {@code checkpoint_ns} and the model's metadata the node sent ({@code ls_provider}, {@code ls_model_name}, ...).
 *
 * <p>Bounded by the run: it remembers the ids of the messages the run saw. Thread rules: confined to the
 * coordinator's event loop.
 */
final class MessageStream {

  /** LangChain's type names of message chunks (sent as the model streams) and of whole messages. */
  private static final Set<String> TYPES = Set.of("AIMessageChunk", "HumanMessageChunk", "SystemMessageChunk",
      "ToolMessageChunk", "ai", "human", "system", "tool", "AIMessage", "HumanMessage", "SystemMessage", "ToolMessage");

  /** The configuration keys LangGraph copies into the metadata ({@code _PROPAGATE_TO_METADATA}). */
  private static final Set<String> PROPAGATED = Set.of("thread_id", "checkpoint_id", "checkpoint_ns", "task_id",
      "run_id", "assistant_id", "graph_id");

  /** Its tasks' ids ({@link TaskIds}: those of its state and task events). */
  private final java.util.function.Function<Task, String> taskIds;
  private final Map<String, Object> base = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();
  private final Set<String> incomplete = new HashSet<>();
  private final Map<String, Task> running = new HashMap<>(); // node -> its task in the current step (pull first)
  /**
   * The metadata of the last chunk and what it was made from (node, step, the node's task, the model's metadata):
   * a streamed answer's chunks all have the same, so it is made once per answer, not per token. Frozen, so sharing
   * it between events is safe.
   */
  private Map<String, Object> chunkMetadata;
  private String chunkNode;
  private int chunkStep;
  private Task chunkTask;
  private Map<String, Object> chunkModelMetadata;
  private String lastChunkId;

  MessageStream(String runId, String threadId, Map<String, Object> config,
                java.util.function.Function<Task, String> taskIds) {
    this.taskIds = taskIds;
    if (config != null) {
      config.forEach((key, value) -> {
        if (PROPAGATED.contains(key) && value != null) {
          base.put(key, value);
        }
      });
    }
    if (threadId != null) { // a subgraph's run: LangGraph's thread_id is the root's (the namespace is apart)
      int child = threadId.indexOf(SubgraphThreads.SEPARATOR);
      base.put("thread_id", child < 0 ? threadId : threadId.substring(0, child));
    }
  }

  /**
   * The data of a subgraph's {@code messages} event forwarded by its parent's task {@code ns} ({@code node:uuid}):
   * as LangGraph's, whose nested loop runs with the parent task's namespace in its config, {@code checkpoint_ns} and
   * {@code langgraph_checkpoint_ns} start with {@code ns} (a whole message's {@code checkpoint_ns} is the subgraph's
   * namespace, a chunk's its task's). Each level of nesting adds its own.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> underNamespace(Map<String, Object> data, String ns) {
    Object metadata = data.get("metadata");
    if (!(metadata instanceof Map) || ns == null || ns.isEmpty()) {
      return data;
    }
    Map<String, Object> moved = new LinkedHashMap<>((Map<String, Object>) metadata);
    for (String key : List.of("langgraph_checkpoint_ns", "checkpoint_ns")) {
      Object inner = moved.get(key);
      moved.put(key, inner instanceof String && !((String) inner).isEmpty() ? ns + SubgraphThreads.SEPARATOR + inner
          : ns);
    }
    Map<String, Object> out = new LinkedHashMap<>(data);
    out.put("metadata", Values.freezeUpdate(moved, "the metadata of a message"));
    return out;
  }

  /** A task started: the messages of its input are not streamed again when it writes them back. */
  void taskStarted(Task task) {
    Task before = running.get(task.node());
    if (before == null || before.step() != task.step() || before.isPush() && !task.isPush()) {
      running.put(task.node(), task);
    }
    State input = task.input();
    for (String channel : input.channels()) {
      collect(input.get(channel), message -> {
        Object id = message.get("id");
        if (id instanceof String) {
          seen.add((String) id);
        }
      });
    }
  }

  /** The data of a chunk (or message) that {@code node} emitted in {@code step}; remembers its id. */
  Map<String, Object> chunk(String node, int step, Map<String, Object> message, Map<String, Object> modelMetadata) {
    Object id = message.get("id");
    if (id instanceof String && !id.equals(lastChunkId)) { // every chunk of an answer has its id: added once
      seen.add((String) id);
      lastChunkId = (String) id;
    }
    Task task = running.get(node);
    if (chunkMetadata != null && step == chunkStep && node.equals(chunkNode) && task == chunkTask
        && (modelMetadata == chunkModelMetadata || modelMetadata != null && modelMetadata.equals(chunkModelMetadata))) {
      return data(message, chunkMetadata); // the chunks of one task share one (immutable) metadata map
    }
    Map<String, Object> metadata = metadata(node, step, "langchain_chat_model", true);
    if (modelMetadata != null) {
      modelMetadata.forEach((key, value) -> {
        if (!metadata.containsKey(key) || "ls_integration".equals(key)) {
          metadata.put(key, value);
        }
      });
    }
    chunkMetadata = Values.freezeUpdate(metadata, "the metadata of a message chunk");
    chunkNode = node;
    chunkStep = step;
    chunkTask = task;
    chunkModelMetadata = modelMetadata;
    return data(message, chunkMetadata);
  }

  /** The data of the messages {@code task} wrote that were not streamed yet, in the order written. */
  List<Map<String, Object>> taskEnded(Task task, Map<String, Object> update) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (update != null) {
      for (Object value : update.values()) {
        collect(value, message -> {
          Object id = message.get("id");
          Map<String, Object> sent = message;
          if (id instanceof String) {
            if (!seen.add((String) id) && !incomplete.remove(id)) {
              return;
            }
          } else { // LangGraph gives a message without an id a fresh one when it streams it
            sent = new LinkedHashMap<>(message);
            sent.put("id", UUID.randomUUID().toString());
          }
          out.add(data(sent, metadata(task.node(), task.step(), "langgraph", false)));
        });
      }
    }
    return out;
  }

  /** A subgraph's {@code messages} event (its data) was forwarded by this run: its message counts as seen. */
  void forwarded(Map<String, Object> data) {
    Object message = data.get("message");
    if (message instanceof Map && ((Map<?, ?>) message).get("id") instanceof String id) {
      seen.add(id);
    }
  }

  /** A chunk of the message {@code data} holds was dropped: send the message whole when its task writes it. */
  void lost(Map<String, Object> data) {
    Object message = data.get("message");
    if (message instanceof Map) {
      Object id = ((Map<?, ?>) message).get("id");
      if (id instanceof String) {
        incomplete.add((String) id);
      }
    }
  }

  /** Whether {@code data} holds a chunk of a streamed answer (not a whole message). */
  static boolean isChunk(Map<String, Object> data) {
    Object message = data.get("message");
    return message instanceof Map && String.valueOf(((Map<?, ?>) message).get("type")).endsWith("Chunk");
  }

  private Map<String, Object> metadata(String node, int step, String integration, boolean chunk) {
    Map<String, Object> metadata = new LinkedHashMap<>(base);
    metadata.put("ls_integration", integration);
    metadata.put("langgraph_step", step);
    metadata.put("langgraph_node", node);
    Task task = running.get(node);
    boolean push = task != null && task.step() == step && task.isPush();
    metadata.put("langgraph_triggers", List.of(push ? "__pregel_push" : "branch:to:" + node));
    metadata.put("langgraph_path", push ? List.of("__pregel_push", task.push()) : List.of("__pregel_pull", node));
    // the task's checkpoint namespace node:<uuid>, as its thread state's checkpointNs and its subgraph events' ns
    String ns = SubgraphThreads.namespace(node, taskIds.apply(task != null && task.step() == step ? task
        : new Task(node, 0, step, State.empty())));
    metadata.put("langgraph_checkpoint_ns", ns);
    if (chunk) {
      metadata.put("checkpoint_ns", ns);
    }
    return metadata;
  }

  private static Map<String, Object> data(Map<String, Object> message, Map<String, Object> metadata) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message", message);
    data.put("metadata", metadata);
    return data;
  }

  /** Calls {@code found} with each message of {@code value}: the value itself, or the messages of a list. */
  @SuppressWarnings("unchecked")
  private static void collect(Object value, java.util.function.Consumer<Map<String, Object>> found) {
    if (value instanceof Map && isMessage((Map<?, ?>) value)) {
      found.accept((Map<String, Object>) value);
    } else if (value instanceof Collection) {
      for (Object item : (Collection<?>) value) {
        if (item instanceof Map && isMessage((Map<?, ?>) item)) {
          found.accept((Map<String, Object>) item);
        }
      }
    }
  }

  /** Whether {@code map} is a message; any other map (e.g. {@code {"city": "London"}}, without a type) is not. */
  private static boolean isMessage(Map<?, ?> map) {
    // (a type-less map is common: Set.of(...).contains(null) would throw, and the run would never end)
    return map.get("type") instanceof String type && TYPES.contains(type) && map.containsKey("content");
  }
}
