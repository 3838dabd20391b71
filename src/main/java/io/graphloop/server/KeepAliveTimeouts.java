package io.graphloop.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes a kept-alive connection once it has had no request in flight for {@link ServerOptions#getKeepAliveTimeoutMs}
 * (uvicorn's {@code timeout_keep_alive}, 5 s by default, which LangGraph's server runs on; Node's HTTP server, under
 * the JS dev server, also waits 5 s). A request in flight keeps its connection however long it lasts: a
 * {@code POST .../runs/wait} writes nothing until its run ends, and an event stream only its events and heartbeats
 * (Vert.x's own {@code idleTimeout} would close both, which is why it is not used). For HTTP/2 the connection is
 * idle when none of its streams is in flight; it is closed with a {@code GOAWAY}.
 *
 * <p>One periodic timer per HTTP instance, every fifth of the timeout (at least 50 ms), checks the instance's
 * connections: a connection is closed between one and 1.2 timeouts after its last response ended (or after it was
 * accepted, when no request came). The set of connections is as large as the connections open on the instance.
 *
 * <p>A connection's followed responses are bounded by its requests in flight, not by its requests since the last
 * sweep: a new request first drops the ended responses once the list has reached twice its size after the last such
 * pruning (at least 2), so an HTTP/1.1 connection holds at most two (one in flight, the one before) and an HTTP/2
 * connection at most about twice its peak of streams in flight, at O(1) amortised per request. Before, every response
 * of a kept-alive connection stayed referenced until the next sweep (a fifth of the timeout: with 5 s, a second of
 * requests; with the bench's 600 s, every stream of the run, each holding its run record through its handlers).
 * The responses are followed through weak references: an ended response is not kept alive by this class until the
 * next request or sweep (a connection left idle after its last response would hold it for the whole timeout). A
 * response in flight is strongly held by its connection (Vert.x's request in progress, or the HTTP/2 stream), so its
 * reference clears only once the response can no longer be answered; a cleared one counts as ended.
 *
 * <p>Thread rules: one instance per HTTP instance, confined to its event loop: {@link #opened} and {@link #request}
 * are called there (the instance's connection and request handlers), and the timer runs there.
 */
final class KeepAliveTimeouts {

  /** The least {@code pruneAt}: an HTTP/1.1 connection's one response in flight and the one before it. */
  private static final int MIN_PRUNE = 2;

  private final Vertx vertx;
  private final long timeoutNanos;
  private final long periodMs;
  private final Map<HttpConnection, Connection> open = new HashMap<>();
  private long timer = -1;

  /** A connection's requests in flight (their responses), and since when it has had none (-1: not idle). */
  private static final class Connection {
    final List<WeakReference<HttpServerResponse>> inFlight = new ArrayList<>(2);
    /** The size at which the next request drops the ended responses first (twice the size after the last drop). */
    int pruneAt = MIN_PRUNE;
    long idleSince;

    Connection(long now) {
      this.idleSince = now;
    }
  }

  /**
   * @param timeoutMs how long a connection may stay without a request in flight; 0: forever (no timer)
   */
  KeepAliveTimeouts(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.periodMs = Math.max(50, timeoutMs / 5);
  }

  /** Follows a connection the instance accepted. */
  void opened(HttpConnection connection) {
    if (timeoutNanos <= 0) {
      return;
    }
    open.put(connection, new Connection(System.nanoTime()));
    connection.closeHandler(closed -> open.remove(connection));
    if (timer < 0) {
      timer = vertx.setPeriodic(periodMs, id -> sweep());
    }
  }

  /** Marks {@code request}'s connection busy until its response has ended or closed. */
  void request(HttpServerRequest request) {
    if (timeoutNanos <= 0) {
      return;
    }
    Connection connection = open.get(request.connection());
    if (connection != null) {
      List<WeakReference<HttpServerResponse>> inFlight = connection.inFlight;
      if (inFlight.size() >= connection.pruneAt) {
        inFlight.removeIf(KeepAliveTimeouts::done);
        connection.pruneAt = Math.max(MIN_PRUNE, 2 * inFlight.size());
      }
      inFlight.add(new WeakReference<>(request.response()));
      connection.idleSince = -1;
    }
  }

  /** Whether a followed response has ended or closed (or was collected: then no one could still answer it). */
  private static boolean done(WeakReference<HttpServerResponse> followed) {
    HttpServerResponse response = followed.get();
    return response == null || response.ended() || response.closed();
  }

  /** The responses followed now, on every connection (for tests: bounded by the requests in flight). */
  int followedResponses() {
    int followed = 0;
    for (Connection connection : open.values()) {
      followed += connection.inFlight.size();
    }
    return followed;
  }

  /** The connections followed now. */
  int connections() {
    return open.size();
  }

  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> expired = null;
    for (Iterator<Map.Entry<HttpConnection, Connection>> each = open.entrySet().iterator(); each.hasNext(); ) {
      Map.Entry<HttpConnection, Connection> entry = each.next();
      Connection connection = entry.getValue();
      if (!connection.inFlight.isEmpty()) {
        connection.inFlight.removeIf(KeepAliveTimeouts::done);
        connection.pruneAt = Math.max(MIN_PRUNE, 2 * connection.inFlight.size());
        if (connection.inFlight.isEmpty()) {
          connection.idleSince = now;
        }
        continue;
      }
      if (now - connection.idleSince >= timeoutNanos) {
        each.remove();
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.add(entry.getKey());
      }
    }
    if (expired != null) {
      expired.forEach(HttpConnection::close);
    }
  }
}
