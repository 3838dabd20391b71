package io.graphloop.server;

import io.graphloop.support.OnLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's request limits over real HTTP on 127.0.0.1: the body limit (413), the most event streams open at once
 * (503 with {@code Retry-After}, before any run starts; a slot frees when a stream ends), and the bytes of events a
 * run keeps for joins (the oldest dropped); and the options' checks and configuration keys.
 */
class ServerLimitsTest {

  private static final int MAX_STREAMS = 2;
  private static final int MAX_EVENT_BYTES = 2048;

  private static ServerFixture server;
  private static WebCalls http;
  private static Vertx streams;
  private static HttpClient streamClient;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(new ServerOptions().setMaxBodyBytes(4096).setMaxStreams(MAX_STREAMS)
        .setMaxRunEventBytes(MAX_EVENT_BYTES).setStreamWriteQueueBytes(8192));
    http = new WebCalls(WebCalls.port(server.base));
    streams = Vertx.vertx();
    streamClient = streams.createHttpClient();
  }

  @AfterAll
  static void stop() {
    ServerFixture.await(streams.close());
    http.close();
    server.close();
  }

  /** An open event stream: its response (headers in) and its body, completed when the stream ends. */
  private record Opened(HttpClientResponse response, Future<Buffer> body) {
  }

  /**
   * Opens {@code POST path} as an event stream and returns it once the headers came. Started on the streams' loop,
   * which asks for the body as the headers come: asked later from this thread, Vert.x 5.0.10 can lose its end
   * ({@link OnLoop}).
   */
  private static Opened open(String path, JsonObject body) {
    return ServerFixture.await(OnLoop.run(streams, () -> streamClient.request(new RequestOptions()
            .setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(WebCalls.port(server.base)).setURI(path)
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.encode()))
        .map(response -> new Opened(response, response.body()))));
  }

  @Test
  void aBodyOverTheLimitIs413() {
    JsonObject big = new JsonObject().put("metadata", new JsonObject().put("pad", "x".repeat(5000)));
    HttpResponse<Buffer> refused = http.call(HttpMethod.POST, "/threads", big);
    assertEquals(413, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsJsonObject().getString("detail").contains("maxBodyBytes"));
    assertEquals(200, http.call(HttpMethod.POST, "/threads", new JsonObject().put("metadata",
        new JsonObject().put("pad", "x".repeat(3000)))).statusCode());
  }

  @Test
  void streamsPastTheLimitAre503UntilOneEnds() {
    List<String> runPaths = new ArrayList<>();
    List<Future<Buffer>> open = new ArrayList<>();
    String thread = null;
    for (int i = 0; i < MAX_STREAMS; i++) {
      thread = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
      Opened opened = open("/threads/" + thread + "/runs/stream", new JsonObject()
          .put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", 60_000)));
      HttpClientResponse response = opened.response();
      assertEquals(200, response.statusCode());
      runPaths.add(response.getHeader("Content-Location"));
      open.add(opened.body()); // read from the headers on, completed when the stream ends
    }
    String spare = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
    HttpResponse<Buffer> refused = http.call(HttpMethod.POST, "/threads/" + spare + "/runs/stream", new JsonObject()
        .put("assistant_id", "echo").put("input", new JsonObject().put("in", "x")));
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertEquals("1", refused.getHeader("Retry-After"));
    assertTrue(refused.bodyAsJsonObject().getString("detail").contains("maxStreams"));
    assertEquals(new JsonArray(), http.call(HttpMethod.GET, "/threads/" + spare + "/runs", null).bodyAsJsonArray(),
        "a refused stream starts no run");
    // joining a stream counts too
    HttpResponse<Buffer> join = http.call(HttpMethod.GET, runPaths.get(0) + "/stream", null);
    assertEquals(503, join.statusCode(), join.bodyAsString());
    // other requests are not streams
    assertEquals("x!", http.call(HttpMethod.POST, "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x"))).bodyAsJsonObject().getString("out"));
    // the first stream's run is cancelled: its stream ends, and its slot is free again
    assertEquals(204, http.call(HttpMethod.POST, runPaths.get(0) + "/cancel?wait=true", new JsonObject())
        .statusCode());
    ServerFixture.await(open.get(0)); // the stream ended
    HttpResponse<Buffer> admitted = http.call(HttpMethod.POST, "/threads/" + spare + "/runs/stream",
        new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "x")));
    assertEquals(200, admitted.statusCode(), admitted.bodyAsString());
    assertTrue(admitted.bodyAsString().contains("\"out\":\"x!\""), admitted.bodyAsString());
    assertEquals(204, http.call(HttpMethod.POST, runPaths.get(1) + "/cancel?wait=true", new JsonObject())
        .statusCode());
    ServerFixture.await(open.get(1));
  }

  @Test
  void aRunKeepsAtMostMaxRunEventBytesOfEventsForJoins() {
    String thread = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
    String text = "y".repeat(700);
    HttpResponse<Buffer> run = http.call(HttpMethod.POST, "/threads/" + thread + "/runs/stream", new JsonObject()
        .put("assistant_id", "echo").put("input", new JsonObject().put("in", text))
        .put("stream_mode", new JsonArray().add("values").add("updates")));
    assertEquals(200, run.statusCode());
    List<Long> liveIds = ids(run.bodyAsString());
    assertEquals(0L, liveIds.get(0), "the live stream had every event");
    HttpResponse<Buffer> joined = http.call(HttpMethod.GET, run.getHeader("Content-Location") + "/stream", null);
    String kept = joined.bodyAsString();
    List<Long> keptIds = ids(kept);
    assertFalse(keptIds.isEmpty());
    assertTrue(keptIds.get(0) > 0, "the oldest events were dropped: " + keptIds);
    assertEquals(liveIds.get(liveIds.size() - 1), keptIds.get(keptIds.size() - 1), "the newest is kept");
    long dataBytes = 0;
    for (String line : kept.split("\n")) {
      if (line.startsWith("data: ") || line.startsWith("event: ")) {
        dataBytes += line.length() - (line.startsWith("data: ") ? 6 : 7);
      }
    }
    assertTrue(dataBytes <= MAX_EVENT_BYTES, "kept " + dataBytes + " bytes");
  }

  private static List<Long> ids(String stream) {
    List<Long> ids = new ArrayList<>();
    for (String line : stream.split("\n")) {
      if (line.startsWith("id: ")) {
        ids.add(Long.parseLong(line.substring(4)));
      }
    }
    return ids;
  }

  @Test
  void limitsAreCheckedAndConfigurable() {
    ServerOptions fromJson = new ServerOptions(new JsonObject().put("maxStreams", 7)
        .put("streamWriteQueueBytes", 65536).put("maxRunEventBytes", 100_000).put("maxBodyBytes", 2048));
    assertEquals(7, fromJson.getMaxStreams());
    assertEquals(65536, fromJson.getStreamWriteQueueBytes());
    assertEquals(100_000, fromJson.getMaxRunEventBytes());
    assertEquals(fromJson.toJson(), new ServerOptions(fromJson.toJson()).toJson());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions().setMaxStreams(0))
        .getMessage().contains("maxStreams must be at least 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions().setStreamWriteQueueBytes(10))
        .getMessage().contains("streamWriteQueueBytes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions(new JsonObject()
        .put("maxStreams", "many"))).getMessage().contains("maxStreams"));
    ServeCommand.Plan plan = ServeCommand.plan(new String[] {"--max-streams", "9", "--max-body-bytes", "8192"},
        io.graphloop.cluster.GraphCatalog.load(List.of(new io.graphloop.examples.ExampleGraphs())));
    assertEquals(9, plan.server().getMaxStreams());
    assertEquals(8192, plan.server().getMaxBodyBytes());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ServeCommand.plan(
        new String[] {"--max-streams", "0"}, io.graphloop.cluster.GraphCatalog.load(List.of())));
    assertTrue(bad.getMessage().contains("maxStreams must be at least 1"), bad.getMessage());
  }

  @Test
  void theAcceptBacklogIsCheckedConfigurableAndReachesTheListenSocket() throws Exception {
    assertEquals(-1, new ServerOptions().getAcceptBacklog(), "default: the system's maximum");
    assertEquals(77, new ServerOptions(new JsonObject().put("acceptBacklog", 77)).getAcceptBacklog());
    assertEquals(77, new ServerOptions(new ServerOptions().setAcceptBacklog(77).toJson()).getAcceptBacklog());
    for (int bad : new int[] {0, -2, 65_536}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServerOptions().setAcceptBacklog(bad))
          .getMessage().contains("acceptBacklog must be from 1 to 65535, or -1"));
    }
    ServeCommand.Plan plan = ServeCommand.plan(new String[] {"--accept-backlog", "300"},
        io.graphloop.cluster.GraphCatalog.load(List.of(new io.graphloop.examples.ExampleGraphs())));
    assertEquals(300, plan.server().getAcceptBacklog());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ServeCommand.plan(
        new String[] {"--accept-backlog", "lots"}, io.graphloop.cluster.GraphCatalog.load(List.of())));
    assertTrue(bad.getMessage().contains("Invalid value for option '--accept-backlog': 'lots' is not an int"),
        bad.getMessage());
    // the kernel shows a listening socket's backlog as its Send-Q (ss -ltn)
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/ss"))
        || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/ss")), "needs ss (iproute2)");
    ServerFixture small = ServerFixture.start(new ServerOptions().setAcceptBacklog(77));
    try {
      assertEquals(200, small.get("/ok").status());
      assertEquals(77, listenBacklog(WebCalls.port(small.base)));
    } finally {
      small.close();
    }
  }

  /** The backlog of the socket listening on {@code port}: the Send-Q column of {@code ss -ltn}. */
  private static int listenBacklog(int port) throws Exception {
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertTrue(ss.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
    String[] columns = out.split("\\s+");
    assertTrue(columns.length >= 3 && columns[0].equals("LISTEN"), out);
    return Integer.parseInt(columns[2]);
  }
}
