package io.graphloop.studio;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebDriver BiDi session over a WebSocket (the JDK's {@link HttpClient}), as the W3C spec has it: commands
 * {@code {"id", "method", "params"}} answered by {@code {"id", "type": "success", "result"}} or
 * {@code {"id", "type": "error", "error", "message"}}; events {@code {"type": "event", "method", "params"}}, of which
 * {@code log.entryAdded} is kept (the last {@value #LOG_LINES} lines) for diagnostics.
 *
 * <p>{@link #send} is called from the test thread and waits (bounded) for the answer; the WebSocket's listener runs
 * on the HTTP client's threads and only completes futures and appends to the synchronized log.
 */
final class BiDiConnection implements AutoCloseable {

  private static final int LOG_LINES = 50;
  /** The longest a command waits for its answer: long, since a loaded CI machine starts Firefox slowly. */
  private static final Duration ANSWER = Duration.ofSeconds(180);

  private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Deque<String> log = new ArrayDeque<>();
  private final WebSocket socket;
  private volatile Throwable closed;

  BiDiConnection(URI uri) throws Exception {
    socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
        .buildAsync(uri, new Listener()).get(30, TimeUnit.SECONDS);
  }

  /** Sends {@code method} with {@code params} and returns its result; a BiDi error or no answer throws. */
  JsonObject send(String method, JsonObject params) {
    if (closed != null) {
      throw new IllegalStateException("the BiDi connection is closed: " + closed, closed);
    }
    long id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String text = new JsonObject().put("id", id).put("method", method).put("params", params).encode();
    try {
      socket.sendText(text, true).get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      JsonObject reply = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      if (!"success".equals(reply.getString("type"))) {
        throw new IllegalStateException("BiDi " + method + " failed: " + reply.getString("error") + ": "
            + reply.getString("message"));
      }
      return reply.getJsonObject("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during BiDi " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("BiDi " + method + " got no answer within " + ANSWER.toSeconds() + " s", e);
    } finally {
      pending.remove(id);
    }
  }

  String log() {
    synchronized (log) {
      return log.isEmpty() ? " (nothing)" : "\n  " + String.join("\n  ", log);
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        JsonObject json = new JsonObject(message.toString());
        message.setLength(0);
        Long id = json.getLong("id");
        if (id != null) {
          CompletableFuture<JsonObject> answer = pending.get(id);
          if (answer != null) {
            answer.complete(json);
          }
        } else if ("log.entryAdded".equals(json.getString("method"))) {
          JsonObject params = json.getJsonObject("params", new JsonObject());
          synchronized (log) {
            log.addLast(params.getString("level") + " " + params.getString("text"));
            while (log.size() > LOG_LINES) {
              log.removeFirst();
            }
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      fail(new IllegalStateException("closed by the browser: " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      fail(error);
    }

    private void fail(Throwable error) {
      closed = error;
      pending.values().forEach(answer -> answer.completeExceptionally(error));
    }
  }
}
