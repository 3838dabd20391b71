package io.graphloop.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stream of a streams row's request, read whole and parsed as the SDKs parse Server-Sent Events, to check what
 * a load generator that does not parse bodies (h2load) received: a {@code 200} with {@code text/event-stream}, a
 * {@code metadata} event first whose data has the {@code run_id}, and a last {@code values} event holding the seed
 * graph's complete state ({@code query}, {@code llm_result}, {@code db_result}); comments (heartbeats) and {@code id}
 * lines are allowed. Its body's length without comments is what each of the row's streams must have at least (a
 * stream that a heartbeat tick falls in has its 13 bytes more).
 *
 * @param bytes    the body's length in bytes, comment-only blocks (heartbeats) not counted
 * @param events   the events' names in order
 * @param complete whether the stream is complete as above
 * @param problem  what is wrong when it is not ({@code null} when it is)
 */
record StreamSample(int bytes, List<String> events, boolean complete, String problem) {

  /** The state a complete seed run ends with. */
  private static final List<String> SEED_KEYS = List.of("query", "llm_result", "db_result");

  /**
   * Sends {@code body} to {@code POST /runs/stream} once (h2c with prior knowledge when {@code h2}) and parses the
   * answer. Blocks the calling thread (bounded: 60 s); not for an event loop.
   */
  static StreamSample read(Vertx vertx, String host, int port, boolean h2, Buffer body) throws Exception {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1).setHttp2ClearTextUpgrade(false));
    try {
      // started on a loop (OnLoop): built on this thread, the chain's body() could come after the response's end
      // and never complete (Vert.x 5.0.10, eclipse-vertx/vert.x#6038)
      return io.graphloop.support.OnLoop.run(vertx, () -> client.request(new RequestOptions()
              .setMethod(HttpMethod.POST).setURI("/runs/stream").putHeader("Content-Type", "application/json"))
          .compose(request -> request.send(body))
          .compose(response -> response.body().map(text -> parse(response.statusCode(),
              response.getHeader("Content-Type"), text.toString(StandardCharsets.UTF_8), text.length()))))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /** Parses one answer ({@code status}, its content type, its body of {@code bytes} bytes). */
  static StreamSample parse(int status, String contentType, String text, int bytes) {
    List<String> names = new ArrayList<>();
    List<String> data = new ArrayList<>();
    int comments = 0; // the bytes of comment-only blocks (heartbeats: a stream gets one only if a tick falls in it)
    for (String block : text.replace("\r\n", "\n").split("\n\n")) {
      if (!block.isEmpty() && block.lines().allMatch(line -> line.startsWith(":"))) {
        comments += block.getBytes(StandardCharsets.UTF_8).length + 2;
        continue;
      }
      String event = null;
      StringBuilder lines = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          lines = lines == null ? new StringBuilder() : lines.append('\n');
          lines.append(line.substring(5).trim());
        }
      }
      if (event != null || lines != null) {
        names.add(event == null ? "message" : event);
        data.add(lines == null ? "" : lines.toString());
      }
    }
    String problem = null;
    if (status != 200) {
      problem = "status " + status;
    } else if (contentType == null || !contentType.startsWith("text/event-stream")) {
      problem = "content type " + contentType;
    } else if (names.isEmpty() || !names.get(0).equals("metadata") || !json(data.get(0)).containsKey("run_id")) {
      problem = "no metadata event with a run_id first";
    } else {
      int last = names.lastIndexOf("values");
      JsonObject values = last < 0 ? new JsonObject() : json(data.get(last));
      if (!SEED_KEYS.stream().allMatch(values::containsKey)) {
        problem = "no last values event with " + SEED_KEYS;
      } else if (names.contains("error")) {
        problem = "an error event";
      }
    }
    return new StreamSample(bytes - comments, names, problem == null, problem);
  }

  private static JsonObject json(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /** The events, and what is wrong when incomplete. */
  String summary() {
    return String.join(", ", events) + (complete ? "" : "; INCOMPLETE: " + problem);
  }
}
