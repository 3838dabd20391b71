package io.graphloop.server;

import io.graphloop.checkpoint.ThreadTtl;
import io.graphloop.client.GraphClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LangGraph Server's per-thread TTL ({@code ttl} on {@code POST /threads} and {@code PATCH /threads/{id}}, shown by
 * {@code GET /threads/{id}?include=ttl}): read from the body, then stored in the checkpoint store of the thread's graph through its thread service
 * ({@link GraphClient#setThreadTtl}), where the runtime's sweep applies it
 * ({@link io.graphloop.runtime.ThreadRetention#startPerThread}) and announces each deleted thread, so the servers
 * drop its record. A thread no run or {@code metadata.graph_id} has tied to a graph yet gets the TTL in every graph's
 * store (so a thread that never runs still expires); when its first run names its graph, the TTL is taken out of the
 * other graphs' stores, then set again in that graph's ({@link #graphNamed}), so a graph keeping its own store (the
 * memory checkpointer) never expires a thread that lives in another.
 *
 * <p>Thread rules: used on the server verticle's context; every call returns a future and never blocks.
 */
final class ThreadTtls {

  private final Map<String, GraphClient> clients;

  ThreadTtls(Map<String, GraphClient> clients) {
    this.clients = clients;
  }

  /**
   * The {@code ttl} of a thread request body: a number of minutes or {@code {"ttl": minutes, "strategy": "delete" |
   * "keep_latest"}} (LangGraph's Python SDK sends the object), or {@code null} when absent.
   *
   * @throws ApiException 422 saying what is expected
   */
  static ThreadTtl read(JsonObject body) {
    Object value = body.getValue("ttl");
    if (value == null) {
      return null;
    }
    try {
      return ThreadTtl.fromJson(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("Field " + e.getMessage() + ".");
    }
  }

  /**
   * Stores {@code ttl} as thread {@code thread}'s TTL, in its graph's store, or in every graph's while it has none;
   * fails (with the runtime's error) only when no graph could store it.
   */
  Future<Void> apply(ThreadRecord thread, ThreadTtl ttl) {
    thread.ttl = ttl;
    List<String> graphs = thread.graphId != null ? List.of(thread.graphId) : new ArrayList<>(clients.keySet());
    List<Future<Void>> set = new ArrayList<>();
    for (String graph : graphs) {
      GraphClient client = clients.get(graph);
      if (client != null) {
        set.add(Owned.client(client, thread.owner).setThreadTtl(thread.threadId, ttl));
      }
    }
    return Future.join(set).transform(done -> {
      for (Future<Void> one : set) {
        if (one.succeeded()) {
          return Future.succeededFuture();
        }
      }
      return Future.failedFuture(set.isEmpty() ? ApiException.invalid("No graph of this server can keep thread '"
          + thread.threadId + "''s TTL.") : ApiException.of(set.get(0).cause()));
    });
  }

  /**
   * Thread {@code thread}'s TTL as stored ({@code GET /threads/{id}?include=ttl}): read from its graph's store, or,
   * while it is tied to no graph, from the first graph's store that has one; {@code null} when none has. Fails (with
   * the runtime's error) only when no graph could answer.
   */
  Future<ThreadTtl> of(ThreadRecord thread) {
    List<String> graphs = thread.graphId != null ? List.of(thread.graphId) : new ArrayList<>(clients.keySet());
    List<Future<ThreadTtl>> read = new ArrayList<>();
    for (String graph : graphs) {
      GraphClient client = clients.get(graph);
      if (client != null) {
        read.add(Owned.client(client, thread.owner).threadTtl(thread.threadId));
      }
    }
    return Future.join(read).transform(done -> {
      boolean answered = read.isEmpty();
      for (Future<ThreadTtl> one : read) {
        if (one.succeeded() && one.result() != null) {
          return Future.succeededFuture(one.result());
        }
        answered |= one.succeeded();
      }
      return answered ? Future.succeededFuture() : Future.failedFuture(ApiException.of(read.get(0).cause()));
    });
  }

  /**
   * Thread {@code thread}, which had a TTL while tied to no graph, is now tied to its graph ({@code thread.graphId}):
   * its TTL leaves the other graphs' stores, then is stored again in its graph's (a store the graphs share ends with
   * it). Failures are logged: the thread keeps a TTL somewhere.
   */
  void graphNamed(ThreadRecord thread) {
    ThreadTtl ttl = thread.ttl;
    if (ttl == null || thread.graphId == null || clients.size() < 2) {
      return;
    }
    List<Future<Void>> cleared = new ArrayList<>();
    clients.forEach((graph, client) -> {
      if (!graph.equals(thread.graphId)) {
        cleared.add(Owned.client(client, thread.owner).setThreadTtl(thread.threadId, null));
      }
    });
    Future.join(cleared).transform(done -> apply(thread, ttl)).onFailure(failure -> System.getLogger(
        ThreadTtls.class.getName()).log(System.Logger.Level.WARNING, "Could not move the TTL of thread '"
        + thread.threadId + "' to graph '" + thread.graphId + "': " + failure.getMessage()));
  }
}
