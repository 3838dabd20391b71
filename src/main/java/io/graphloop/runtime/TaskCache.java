package io.graphloop.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graphloop.cache.CacheKey;
import io.graphloop.cache.NodeCache;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.StateJson;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The cache of a graph's node writes as a run uses it (LangGraph's {@code match_cached_writes} and the cache part
 * of {@code put_writes}): computes a task's key from its node's {@link CachePolicy}, looks the key up, and stores a
 * completed task's writes. A key is the SHA-256 of what the policy's key function returned (a string's UTF-8, a
 * byte array, or any other value's JSON with sorted keys), or of the task's whole input as such JSON by default.
 *
 * <p>Thread rules: one per graph deployment, shared by its coordinators; stateless besides the graph and cache,
 * so thread-safe. Key functions run on the calling thread (the coordinator's event loop). Lookups complete on the
 * caller's context.
 */
final class TaskCache {

  private static final System.Logger LOG = System.getLogger("io.graphloop.runtime.TaskCache");
  private static final ObjectMapper CANONICAL = StateJson.mapper().copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final CompiledGraph graph;
  private final NodeCache cache;

  /** Where a task's writes are cached, and for how long. */
  record Entry(CacheKey key, Duration ttl) {
  }

  private TaskCache(CompiledGraph graph, NodeCache cache) {
    this.graph = graph;
    this.cache = cache;
  }

  /**
   * Loads and initializes what computing a key needs (Jackson's serializers, the SHA-256 provider): on a cold JVM
   * that takes seconds, so a deployment calls this on a worker thread rather than letting the first task pay it on
   * an event loop.
   */
  static void warmUp() {
    try {
      sha256(CANONICAL.writeValueAsBytes(Map.of("warm", java.util.List.of(1, "up"))));
    } catch (Exception e) {
      throw new IllegalStateException("Could not prepare node cache keys: " + e.getMessage(), e);
    }
  }

  /** The run-side cache of {@code graph}, or {@code null} when it was compiled without a cache. */
  static TaskCache of(CompiledGraph graph) {
    return graph.cache() == null ? null : new TaskCache(graph, graph.cache());
  }

  /**
   * Where {@code task}'s writes are cached, or {@code null} when its node has no cache policy.
   *
   * @throws GraphloopException naming the node and step when the key function fails or returns null, or the
   *                            input cannot be encoded for the default key
   */
  Entry entryOf(String runId, Task task) {
    CachePolicy policy = GraphInternals.get().options(graph.node(task.nodeIndex())).getCachePolicy();
    if (policy == null) {
      return null;
    }
    byte[] keyBytes;
    if (policy.keyFunction() == null) {
      try {
        keyBytes = CANONICAL.writeValueAsBytes(task.input().asMap());
      } catch (Exception e) {
        throw keyFailure(runId, task, "its input could not be encoded as JSON for the default cache key (" + e
            .getMessage() + "); give the node's CachePolicy a key function (CachePolicy.keyedBy)", e);
      }
    } else {
      Object key;
      try {
        key = policy.keyFunction().key(task.input());
      } catch (Exception e) {
        throw keyFailure(runId, task, "its cache key function failed: " + e, e);
      }
      if (key == null) {
        throw keyFailure(runId, task, "its cache key function returned null; return a String, a byte[] or a "
            + "JSON-compatible value", null);
      }
      if (key instanceof String) {
        keyBytes = ((String) key).getBytes(StandardCharsets.UTF_8);
      } else if (key instanceof byte[]) {
        keyBytes = (byte[]) key;
      } else {
        try {
          keyBytes = CANONICAL.writeValueAsBytes(key);
        } catch (Exception e) {
          throw keyFailure(runId, task, "its cache key function returned a " + key.getClass().getName()
              + " that cannot be encoded as JSON (" + e.getMessage() + "); return a String, a byte[] or a "
              + "JSON-compatible value", e);
        }
      }
    }
    return new Entry(new CacheKey(CacheKey.writesNamespace(graph.name(), task.node()), sha256(keyBytes)),
        policy.ttl());
  }

  private GraphloopException keyFailure(String runId, Task task, String why, Throwable cause) {
    return new GraphloopException(FailureCode.NODE_FAILED, "Node '" + task.node() + "' of graph '" + graph.name()
        + "' failed at step " + task.step() + " before it ran: " + why, graph.name(), runId, task.step(),
        task.node(), cause);
  }

  /**
   * Looks {@code entry} up; {@code done} hears the stored reply ({@code null} on a miss) on the calling thread's
   * context. A failing cache is reported as a failure naming it.
   */
  void lookup(Vertx vertx, Entry entry, Handler<AsyncResult<NodeReply>> done) {
    Context context = vertx.getOrCreateContext();
    Future<Map<String, Object>> found;
    try {
      found = cache.get(entry.key());
    } catch (RuntimeException e) {
      found = Future.failedFuture(e);
    }
    found.<NodeReply>transform(read -> {
      if (read.failed()) {
        return Future.failedFuture(new IllegalStateException("The " + cache.describe() + " could not be read: "
            + read.cause().getMessage(), read.cause()));
      }
      return Future.succeededFuture(read.result() == null ? null : ThreadRuns.replyOf(read.result()));
    }).onComplete(result -> {
      if (Vertx.currentContext() == context) {
        done.handle(result);
      } else {
        context.runOnContext(v -> done.handle(result));
      }
    });
  }

  /** Reports a lookup that found nothing usable: a plain miss, or a cache that failed (logged, the node runs). */
  void missed(Entry entry, Throwable failure) {
    if (failure != null) {
      LOG.log(System.Logger.Level.WARNING, "Could not read the cached writes of " + entry.key().namespace()
          + " (the node runs instead): " + failure.getMessage(), failure);
    }
  }

  /**
   * Stores a completed task's writes under {@code entry}, in the background; a failure is logged (the run does not
   * depend on it: the next lookup misses and runs the node).
   */
  void store(Entry entry, NodeReply reply) {
    Future<Void> stored;
    try {
      stored = cache.set(entry.key(), RunCheckpoints.writesOf(reply), entry.ttl());
    } catch (RuntimeException e) {
      stored = Future.failedFuture(e);
    }
    stored.onFailure(e -> LOG.log(System.Logger.Level.WARNING, "Could not store the writes of node '"
        + entry.key().namespace() + "' in the " + cache.describe() + ": " + e.getMessage(), e));
  }

  private static String sha256(byte[] bytes) {
    return CacheKey.digestOf(bytes);
  }
}
