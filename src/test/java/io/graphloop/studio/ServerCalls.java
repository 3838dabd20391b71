package io.graphloop.studio;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's public HTTP API called from a test (the JDK's client, 127.0.0.1), to make data the page then shows.
 *
 * <p>Used from the test thread; every call is bounded ({@link #TIMEOUT}).
 */
final class ServerCalls {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** Requests in flight at once while creating many threads. */
  private static final int IN_FLIGHT = 16;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  ServerCalls(String base) {
    this.base = base;
  }

  private HttpRequest request(String path, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  private static JsonObject answer(String path, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  /** POSTs {@code body} to {@code path}; the JSON object answered (status 200 expected). */
  JsonObject post(String path, JsonObject body) throws Exception {
    return answer(path, http.send(request(path, body), HttpResponse.BodyHandlers.ofString()));
  }

  /** Creates {@code count} threads with {@code metadata}, {@link #IN_FLIGHT} requests at a time. */
  void createThreads(int count, JsonObject metadata) throws Exception {
    for (int done = 0; done < count; ) {
      List<CompletableFuture<JsonObject>> batch = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT && done < count; i++, done++) {
        batch.add(http.sendAsync(request("/threads", new JsonObject().put("metadata", metadata)),
            HttpResponse.BodyHandlers.ofString()).thenApply(response -> answer("/threads", response)));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
