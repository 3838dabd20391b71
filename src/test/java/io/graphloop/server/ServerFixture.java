package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * A real server for the tests: test graphs deployed with an in-memory checkpointer and a {@link ServerVerticle} on
 * 127.0.0.1 with a free port, called over real HTTP (the JDK's client) from the JUnit thread, every wait bounded.
 *
 * The graphs are {@link SdkGraphs}' ({@code echo}, {@code slow}, {@code hitl}, {@code boom}) unless a test names
 * others. A test class shares one server: {@code @RegisterExtension static final ServerFixture server =
 * ServerFixture.perClass(...)} starts it before the class's tests and closes it after them.
 */
final class ServerFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  static final long WAIT_SECONDS = 20;

  /** The server's Vert.x instance (set once started). */
  Vertx vertx;
  /** {@code http://127.0.0.1:<port>} (set once started). */
  String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What {@link #beforeAll} starts, or {@code null} for a fixture started at once. */
  private final ServerOptions options;
  private final List<CompiledGraph> graphs;

  private ServerFixture(ServerOptions options, List<CompiledGraph> graphs) {
    this.options = options;
    this.graphs = graphs;
  }

  /**
   * A server started before a test class's first test and closed after its last, as a JUnit extension:
   * {@code @RegisterExtension static final ServerFixture server = ServerFixture.perClass(options);}.
   */
  static ServerFixture perClass(ServerOptions options, List<CompiledGraph> graphs) {
    return new ServerFixture(options, graphs);
  }

  static ServerFixture perClass(ServerOptions options) {
    return perClass(options, sdkGraphs());
  }

  static ServerFixture perClass() {
    return perClass(new ServerOptions());
  }

  /** HTTP calls (and event streams) to a server already running at {@code base}, which this fixture does not own. */
  static ServerFixture at(String base) {
    ServerFixture fixture = new ServerFixture(null, List.of());
    fixture.base = base;
    return fixture;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startNow();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private static List<CompiledGraph> sdkGraphs() {
    return List.of(SdkGraphs.echo(), SdkGraphs.slow(), SdkGraphs.hitl(), SdkGraphs.boom());
  }

  static ServerFixture start(ServerOptions options) {
    return start(options, sdkGraphs());
  }

  /** A server for {@code graphs} instead of {@link SdkGraphs}'. */
  static ServerFixture start(ServerOptions options, List<CompiledGraph> graphs) {
    ServerFixture fixture = new ServerFixture(options, graphs);
    fixture.startNow();
    return fixture;
  }

  private void startNow() {
    vertx = Vertx.vertx();
    io.graphloop.store.InMemoryStore store = new io.graphloop.store.InMemoryStore();
    GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"))
        .setStore(store);
    Future<Void> deployed = Future.succeededFuture();
    for (CompiledGraph graph : graphs) {
      deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, runtime).mapEmpty());
    }
    ServerVerticle server = new ServerVerticle(graphs, new ServerOptions(options).setHost("127.0.0.1").setPort(0))
        .store(store);
    await(deployed.compose(ready -> vertx.deployVerticle(server)));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  static ServerFixture start() {
    return start(new ServerOptions());
  }

  /** An HTTP answer: status, headers, body text. */
  record Answer(int status, java.net.http.HttpHeaders headers, String body) {

    JsonObject json() {
      return new JsonObject(body);
    }

    io.vertx.core.json.JsonArray array() {
      return new io.vertx.core.json.JsonArray(body);
    }

    String detail() {
      return json().getString("detail");
    }
  }

  Answer get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  Answer delete(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers);
  }

  Answer post(String path, Object body, String... headers) {
    String text = body instanceof String ? (String) body : Json.encode(body);
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text)), headers);
  }

  Answer method(String method, String path, Object body, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(Json.encode(body))), headers);
  }

  private Answer send(HttpRequest.Builder request, String... headers) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(WAIT_SECONDS)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One SSE event as read from the wire. */
  record Event(String id, String event, String data) {

    JsonObject json() {
      return new JsonObject(data);
    }
  }

  /** An event stream's status, headers and events, read to its end (or {@code maxEvents}), the raw lines kept. */
  record Stream(int status, java.net.http.HttpHeaders headers, List<Event> events, List<String> lines) {

    List<String> names() {
      List<String> names = new ArrayList<>();
      events.forEach(event -> names.add(event.event()));
      return names;
    }
  }

  /** Reads an event stream ({@code body == null}: GET) to its end, or until {@code maxEvents} have come. */
  Stream stream(String path, Object body, int maxEvents, String... headers) {
    return streamUntil(path, body, events -> events.size() >= maxEvents, headers);
  }

  /**
   * Reads an event stream ({@code body == null}: GET) to its end, or until {@code done} holds for the events read so
   * far (then the connection is closed), at most {@link #WAIT_SECONDS}.
   */
  Stream streamUntil(String path, Object body, java.util.function.Predicate<List<Event>> done, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(WAIT_SECONDS));
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)));
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      List<Event> events = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while (!done.test(events) && (line = reader.readLine()) != null) {
          lines.add(line);
          if (line.isEmpty()) {
            if (event != null || data != null) {
              events.add(new Event(id, event == null ? "message" : event, data == null ? null : data.toString()));
            }
            id = null;
            event = null;
            data = null;
          } else if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          }
        }
      }
      return new Stream(response.statusCode(), response.headers(), events, lines);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A new thread's id. */
  String thread() {
    Answer created = post("/threads", new JsonObject());
    if (created.status() != 200) {
      throw new AssertionError("POST /threads answered " + created.status() + " " + created.body());
    }
    return created.json().getString("thread_id");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("server fixture: " + e, e);
    }
  }

  @Override
  public void close() {
    if (vertx != null) {
      await(vertx.close());
    }
  }
}
