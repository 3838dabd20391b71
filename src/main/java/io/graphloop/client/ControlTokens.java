package io.graphloop.client;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The capability tokens of the runs this JVM's {@link GraphClient}s submitted with a known run id and that are still
 * in flight, so that {@code cancel(runId)} works for the submitter (in any verticle of the JVM) without handling the
 * token. Other JVMs cancel with {@code cancel(runId, token)}: the token never leaves the submitter but to the run's
 * coordinator.
 *
 * <p>Thread-safe: a Vert.x local shared map per Vert.x instance; an entry lives while its run is in flight.
 */
final class ControlTokens {

  private static final String MAP = "graphloop.client.controlTokens";

  private ControlTokens() {
  }

  static void remember(Vertx vertx, String graph, String runId, String token) {
    map(vertx).put(key(graph, runId), token);
  }

  static void forget(Vertx vertx, String graph, String runId, String token) {
    map(vertx).remove(key(graph, runId), token);
  }

  /** The token of run {@code runId} submitted from this JVM, or {@code null}. */
  static String of(Vertx vertx, String graph, String runId) {
    return map(vertx).get(key(graph, runId));
  }

  private static LocalMap<String, String> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  private static String key(String graph, String runId) {
    return graph + '\u0000' + runId;
  }
}
