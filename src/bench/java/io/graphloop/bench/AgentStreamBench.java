package io.graphloop.bench;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.examples.AgentExample;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.server.ServerOptions;
import io.graphloop.server.ServerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Token streaming throughput of the agent ({@link AgentExample}) with {@link FakeChatServer} as its model (tokens
 * written as fast as the connection takes them), in one JVM on 127.0.0.1: how many tokens per second reach
 * <ol>
 *   <li>a client reading the fake model's SSE directly (the ceiling: the model's HTTP stream alone);</li>
 *   <li>{@code client.stream(..., StreamMode.MESSAGES)} (model -> node -> coordinator -> client over the event bus);</li>
 *   <li>an HTTP client of the server's {@code POST /runs/stream} with {@code stream_mode: messages-tuple} (plus the
 *       server's SSE).</li>
 * </ol>
 * Each conversation asks the fake model to echo {@code --tokens} words (it answers {@code "You said: ..."}, one chunk
 * per word), {@code --concurrency} conversations at once, {@code --conversations} in all; the first round is warm-up.
 *
 * <pre>
 * mvn -B -q -Pbench package && java -cp target/bench/graphloop-bench.jar io.graphloop.bench.AgentStreamBench
 *     [--tokens 2000] [--concurrency 10] [--conversations 100]
 * </pre>
 *
 * <p>Runs on the main thread, which waits (bounded) for the load's futures; the load itself runs on Vert.x.
 */
public final class AgentStreamBench {

  private static final long WAIT_SECONDS = 600;

  private final Vertx vertx = Vertx.vertx();
  private final int tokens;
  private final int concurrency;
  private final int conversations;
  private FakeChatServer model;
  private GraphClient client;
  private HttpClient http;
  private int serverPort;

  private AgentStreamBench(int tokens, int concurrency, int conversations) {
    this.tokens = tokens;
    this.concurrency = concurrency;
    this.conversations = conversations;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.HashMap<>(Map.of("--tokens", "2000", "--concurrency", "10",
        "--conversations", "100"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        throw new IllegalArgumentException("Unknown option " + args[i] + "; the options are " + options.keySet());
      }
      options.put(args[i], args[i + 1]);
    }
    AgentStreamBench bench = new AgentStreamBench(Integer.parseInt(options.get("--tokens")),
        Integer.parseInt(options.get("--concurrency")), Integer.parseInt(options.get("--conversations")));
    try {
      bench.run();
    } finally {
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void run() throws Exception {
    model = await(FakeChatServer.start(vertx, 0));
    CompiledGraph agent = AgentExample.graph(new OpenAiOptions().setBaseUrl(model.baseUrl()).setModel("fake"));
    client = await(GraphRuntime.deploy(vertx, agent, new GraphRuntimeOptions())).client();
    ServerVerticle server = new ServerVerticle(List.of(agent), new ServerOptions().setHost("127.0.0.1").setPort(0));
    await(vertx.deployVerticle(server));
    serverPort = server.actualPort();
    http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(Math.max(concurrency, 1)));
    String question = question();
    List<String> rows = new ArrayList<>();
    rows.add(measure("the fake model's SSE alone (ceiling)", () -> direct(question)));
    rows.add(measure("client.stream(MESSAGES), in-process bus", () -> streamed(question)));
    rows.add(measure("serve: POST /runs/stream messages-tuple", () -> served(question)));
    System.out.printf("%nAgent token streaming: %d tokens per answer, %d conversations at once, %d measured; "
        + "%d cores, load average %s%n%n", tokens, concurrency, conversations,
        Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.println("| path | tokens/s | tokens | wall (s) |");
    System.out.println("|---|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private String question() {
    StringBuilder text = new StringBuilder("echo");
    for (int i = 1; i < tokens - 2; i++) {
      text.append(" w").append(i);
    }
    return text.toString();
  }

  /** Runs {@code conversations} (after a warm-up round) {@code concurrency} at a time; returns a table row. */
  private String measure(String name, Supplier<Future<Integer>> conversation) throws Exception {
    rounds(concurrency, conversation);
    long start = System.nanoTime();
    long received = rounds(conversations, conversation);
    double seconds = (System.nanoTime() - start) / 1e9;
    return String.format("| %s | %,.0f | %,d | %.2f |", name, received / seconds, received, seconds);
  }

  private long rounds(int count, Supplier<Future<Integer>> conversation) throws Exception {
    long received = 0;
    for (int done = 0; done < count; done += concurrency) {
      List<Future<Integer>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(concurrency, count - done); i++) {
        Promise<Integer> one = Promise.promise();
        vertx.runOnContext(v -> conversation.get().onComplete(one));
        batch.add(one.future());
      }
      await(Future.all(batch));
      for (Future<Integer> one : batch) {
        if (one.result() < tokens - 2) {
          throw new IllegalStateException("a conversation received " + one.result() + " tokens of " + tokens);
        }
        received += one.result();
      }
    }
    return received;
  }

  /** The model's streamed answer read directly: its content chunks. */
  private Future<Integer> direct(String question) {
    JsonObject body = new JsonObject().put("model", "fake").put("stream", true).put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", question)));
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(model.port())
            .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.encode()))
        .compose(response -> count(response, "\"content\":\"", "data:"));
  }

  /** The agent streamed in-process: the content chunks of its answers. */
  private Future<Integer> streamed(String question) {
    Promise<Integer> done = Promise.promise();
    int[] count = {0};
    RunEventStream stream = client.stream(Map.of("messages", List.of(Message.human(question))), new RunOptions(),
        StreamMode.MESSAGES);
    stream.handler(event -> {
      if (event.event().equals("messages")) {
        Object message = event.data().get("message");
        if (message instanceof Map<?, ?> m && "AIMessageChunk".equals(m.get("type"))
            && m.get("content") instanceof String content && !content.isEmpty()) {
          count[0]++;
        }
      }
    });
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(end -> done.tryComplete(count[0]));
    return done.future();
  }

  /** The agent through the server's SSE, messages-tuple: its {@code messages} events with content. */
  private Future<Integer> served(String question) {
    JsonObject body = new JsonObject().put("assistant_id", AgentExample.NAME).put("stream_mode",
        new JsonArray().add("messages-tuple")).put("input", new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("type", "human").put("content", question))));
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(serverPort)
            .setURI("/runs/stream").putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.encode()))
        .compose(response -> count(response, "\"type\":\"AIMessageChunk\"", "data:"));
  }

  /**
   * Counts the SSE data lines of {@code response} that contain {@code marker} and a non-empty content, reading the
   * body as it streams (lines may be split across buffers).
   */
  private static Future<Integer> count(io.vertx.core.http.HttpClientResponse response, String marker, String prefix) {
    if (response.statusCode() != 200) {
      return Future.failedFuture("HTTP " + response.statusCode());
    }
    Promise<Integer> done = Promise.promise();
    int[] count = {0};
    StringBuilder line = new StringBuilder();
    response.handler(buffer -> {
      String text = buffer.toString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n') {
          String l = line.toString();
          if (l.startsWith(prefix) && l.contains(marker) && !l.contains("\"content\":\"\"")) {
            count[0]++;
          }
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(count[0]));
    return done.future();
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
