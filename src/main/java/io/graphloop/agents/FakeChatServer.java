package io.graphloop.agents;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for an LLM: an HTTP server on 127.0.0.1 speaking OpenAI's chat completions API
 * ({@code POST /v1/chat/completions}, plain JSON and {@code stream: true} SSE with {@code chat.completion.chunk}
 * events, tool calls streamed as fragments split across chunks, a usage event, {@code data: [DONE]}). Each request
 * takes the next queued {@link FakeReply}; with none queued, {@link FakeResponder} answers (it can drive a ReAct loop
 * with {@code add}/{@code multiply} tools). It keeps the last {@value #MAX_RECORDED} request bodies for tests.
 *
 * <p>It serves on every event loop of its Vert.x by default, as a model server with many connections would (and as
 * {@code serve} does): one HTTP server per loop, sharing the port, Vert.x handing each new connection to the next
 * one; a connection's answer, its token timers and its writes stay on that connection's loop.
 * {@link #start(Vertx, int, int)} picks how many servers (1: one loop carries every connection, as before
 * 2026-12-08).
 *
 * <p>For tests, benchmarks and the README's example only; it is not a model. Thread rules: it may be started and
 * closed from any thread. Each request is handled on its connection's event loop; the state shared between the
 * servers (the script, the recorded requests, the call count, the delays) is guarded by this object's lock, the write
 * listener is volatile.
 */
public final class FakeChatServer {

  public static final int MAX_RECORDED = 1000;
  private static final long BODY_LIMIT = 16L * 1024 * 1024;

  /**
   * Vert.x's shared random ports (negative) of the fake servers of this JVM listening on port 0 with several servers:
   * the servers of one fake share one free port. Apart from {@code ServerVerticle}'s ({@code -(2^20 + n)}).
   */
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger();
  private static final int RANDOM_PORT_GROUP_BASE = 1 << 21;

  private final Vertx vertx;
  private final Deque<FakeReply> script = new ArrayDeque<>();
  private final Deque<JsonObject> recorded = new ArrayDeque<>();
  /** The HTTP servers (one per loop served), the first one listening first; set before start's future completes. */
  private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String deployment;
  private int calls;
  private long responderFirstTokenDelayMs;
  private long responderTokenDelayMs;
  private volatile java.util.function.Consumer<String> writeListener;

  private FakeChatServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Starts it on 127.0.0.1:{@code port} (0 picks a free port), served on every event loop of {@code vertx}
   * ({@code VertxOptions.eventLoopPoolSize} servers sharing the port).
   */
  public static Future<FakeChatServer> start(Vertx vertx, int port) {
    return start(vertx, port, eventLoops(vertx));
  }

  /**
   * Starts it on 127.0.0.1:{@code port} (0 picks a free port) with {@code servers} HTTP servers sharing the port,
   * each on an event loop of its own (as far as {@code vertx} has loops): 1 puts every connection, and every token's
   * write, on one loop.
   *
   * @throws IllegalArgumentException when {@code servers} is not 1 to 1024
   */
  public static Future<FakeChatServer> start(Vertx vertx, int port, int servers) {
    if (servers < 1 || servers > 1024) {
      throw new IllegalArgumentException("FakeChatServer's servers (one per event loop) must be 1 to 1024, were "
          + servers);
    }
    FakeChatServer fake = new FakeChatServer(vertx);
    // Vert.x shares one listening socket between its servers on the same host and port; port 0 is never shared (each
    // server would get its own), a negative port is Vert.x's shared random port: the servers on it share one free port
    int listen = port != 0 || servers == 1 ? port : -(RANDOM_PORT_GROUP_BASE + RANDOM_PORT_GROUPS.incrementAndGet());
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.post("/v1/chat/completions").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
            .handler(fake::handle);
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(listen))
            .requestHandler(router).listen().onSuccess(fake.servers::add);
      }
    }, new DeploymentOptions().setInstances(servers)).map(id -> {
      fake.deployment = id;
      return fake;
    });
  }

  /** The event loops of {@code vertx} ({@code VertxOptions.eventLoopPoolSize}), at least 1. */
  private static int eventLoops(Vertx vertx) {
    int count = 0;
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx)
        .nettyEventLoopGroup()) {
      count++;
    }
    return Math.max(1, count);
  }

  /** The port it listens on. */
  public int port() {
    return servers.get(0).actualPort();
  }

  /** How many HTTP servers (each on an event loop) serve the port. */
  public int servers() {
    return servers.size();
  }

  /** The base URL for {@code OpenAiOptions.setBaseUrl}: {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Queues answers for the next requests, in order. */
  public synchronized FakeChatServer enqueue(FakeReply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /**
   * Streams {@link FakeResponder}'s answers (those of requests with nothing queued) {@code tokenDelayMs} apart after
   * {@code firstTokenDelayMs}, as a model that takes time per token (0, 0: at once, the default).
   */
  public synchronized FakeChatServer responderDelays(long firstTokenDelayMs, long tokenDelayMs) {
    if (firstTokenDelayMs < 0 || tokenDelayMs < 0) {
      throw new IllegalArgumentException("FakeChatServer delays must be 0 or more ms, were " + firstTokenDelayMs
          + " and " + tokenDelayMs);
    }
    this.responderFirstTokenDelayMs = firstTokenDelayMs;
    this.responderTokenDelayMs = tokenDelayMs;
    return this;
  }

  /**
   * Calls {@code listener} with each streamed SSE event ({@code "data: {...}\n\n"}) right before it is written to
   * its response, on the server's event loop (keep it short; benchmarks use it to time a chunk from the model to a
   * client: after the write, a client on another core could already have read it). {@code null} removes it.
   */
  public FakeChatServer onEventWritten(java.util.function.Consumer<String> listener) {
    this.writeListener = listener;
    return this;
  }

  /** The request bodies received, oldest first (the last {@value #MAX_RECORDED}). */
  public synchronized List<JsonObject> requests() {
    return new ArrayList<>(recorded);
  }

  /** Stops every server (undeploys them); the port is free when the future completes. */
  public Future<Void> close() {
    String id = deployment;
    if (id == null || !vertx.deploymentIDs().contains(id)) {
      return Future.succeededFuture(); // not started, or already closed (Vert.x closed undeploys it)
    }
    return vertx.undeploy(id);
  }

  private void handle(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      request = null;
    }
    if (request == null || !(request.getValue("messages") instanceof JsonArray)) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("error", new JsonObject().put("message", "the body must be a JSON object with 'messages'")).encode());
      return;
    }
    FakeReply reply;
    int number;
    long firstDelay;
    long tokenDelay;
    synchronized (this) {
      firstDelay = responderFirstTokenDelayMs;
      tokenDelay = responderTokenDelayMs;
      recorded.addLast(request);
      if (recorded.size() > MAX_RECORDED) {
        recorded.removeFirst();
      }
      number = ++calls;
      reply = script.pollFirst();
    }
    if (reply == null) {
      reply = FakeResponder.answer(request, number).delays(firstDelay, tokenDelay);
    }
    String model = request.getString("model", "fake");
    String id = "chatcmpl-fake-" + number;
    FakeReply chosen = reply;
    JsonObject body = request;
    later(chosen.firstTokenDelayMs(), () -> answer(ctx, body, chosen, id, model));
  }

  private void answer(RoutingContext ctx, JsonObject request, FakeReply reply, String id, String model) {
    HttpServerResponse response = ctx.response();
    if (reply.dropAfterChunks() == 0) {
      ctx.request().connection().close();
      return;
    }
    reply.headers().forEach(response::putHeader);
    if (reply.status() != 200) {
      response.setStatusCode(reply.status()).putHeader("Content-Type", "application/json").end(reply.errorBody());
      return;
    }
    if (!request.getBoolean("stream", false)) {
      response.putHeader("Content-Type", "application/json").end(complete(reply, id, model).encode());
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
    List<String> events = StreamedReply.events(reply, id, model,
        request.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false));
    send(ctx, events, 0, reply);
  }

  /**
   * Writes the events from {@code index}: in a loop while the response takes them (no recursion, however long the
   * answer), after a timer when the reply has a token delay, and after the response drains when the client reads
   * slower than the events come (TCP back-pressure, as a real server).
   */
  private void send(RoutingContext ctx, List<String> events, int index, FakeReply reply) {
    HttpServerResponse response = ctx.response();
    int next = index;
    while (true) {
      if (response.closed()) {
        return;
      }
      if (next == events.size()) {
        response.end();
        return;
      }
      if (reply.dropAfterChunks() > 0 && next == reply.dropAfterChunks()) {
        ctx.request().connection().close();
        return;
      }
      String event = events.get(next++);
      java.util.function.Consumer<String> listener = writeListener;
      if (listener != null) { // before the write: a reader on another core may see the bytes before the write returns
        listener.accept(event);
      }
      response.write(event);
      int from = next;
      long delay = next < events.size() ? reply.tokenDelayMs() : 0;
      if (delay > 0) {
        vertx.setTimer(delay, t -> send(ctx, events, from, reply));
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(v -> send(ctx, events, from, reply));
        return;
      }
    }
  }

  private void later(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
    } else {
      vertx.setTimer(delayMs, t -> action.run());
    }
  }

  private static JsonObject complete(FakeReply reply, String id, String model) {
    JsonObject message = new JsonObject().put("role", "assistant")
        .put("content", reply.content().isEmpty() && !reply.toolCalls().isEmpty() ? null : reply.content());
    if (!reply.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (ToolCall call : reply.toolCalls()) {
        calls.add(new JsonObject().put("id", call.id()).put("type", "function").put("function",
            new JsonObject().put("name", call.name()).put("arguments", new JsonObject(call.args()).encode())));
      }
      message.put("tool_calls", calls);
    }
    int completion = FakeResponder.tokens(reply.content()).size() + reply.toolCalls().size();
    return new JsonObject().put("id", id).put("object", "chat.completion").put("created", 0).put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
            .put("finish_reason", reply.toolCalls().isEmpty() ? "stop" : "tool_calls")))
        .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", completion)
            .put("total_tokens", 10 + completion));
  }

  /** For {@link Map}-free callers: the default headers of a 429 asking to wait {@code seconds}. */
  public static Map<String, String> retryAfter(int seconds) {
    return Map.of("Retry-After", String.valueOf(seconds));
  }
}
