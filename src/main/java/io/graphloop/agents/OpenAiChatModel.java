package io.graphloop.agents;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;

import io.graphloop.graph.NodeContext;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link ChatModel} speaking OpenAI's chat completions API ({@code POST <baseUrl>/chat/completions}) on a Vert.x
 * {@link WebClient}, without blocking: plain answers, and streamed ones ({@code stream: true}, SSE parsed as the bytes
 * arrive, tool calls assembled from their fragments). Works with any OpenAI-compatible server (vLLM, Ollama,
 * LiteLLM, ...) through {@link OpenAiOptions#setBaseUrl}.
 *
 * <p>Each attempt has a deadline ({@code timeoutMs}) and an idle timeout ({@code idleTimeoutMs}); 408, 409, 429, 5xx
 * and transport failures are retried up to {@code maxRetries} times after an exponential backoff with jitter, or after
 * the server's {@code retry-after-ms} / {@code Retry-After}; a stream that already delivered chunks is not retried (its
 * tokens were seen). Failures are {@link ChatModelException}s with the status and an excerpt of the body.
 *
 * <p>Thread rules: call from a Vert.x context (a node's event loop or a verticle); the chunk handler and the futures
 * run on that context. The web client is the caller's (usually {@code NodeContext.webClient()}); this object holds no
 * per-call state and is thread-safe.
 */
public final class OpenAiChatModel implements ChatModel {

  private final Vertx vertx;
  private final WebClient client;
  private final OpenAiOptions options;
  private final String url;

  public OpenAiChatModel(Vertx vertx, WebClient client, OpenAiOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.options = new OpenAiOptions(Objects.requireNonNull(options, "options"));
    this.url = this.options.getBaseUrl() + "/chat/completions";
  }

  /** The options (a copy; without the key in its JSON). */
  public OpenAiOptions options() {
    return new OpenAiOptions(options);
  }

  @Override
  public Future<AiMessage> invoke(List<Message> messages, ChatRequest request) {
    return invoke(messages, request, NodeContext.current());
  }

  /**
   * As {@link ChatModel#invoke(List, ChatRequest, NodeContext)}, with back-pressure: while the run's stream cannot
   * take more chunks ({@code emitMessage}'s future is pending), the HTTP response is not read further.
   */
  @Override
  public Future<AiMessage> invoke(List<Message> messages, ChatRequest request, NodeContext ctx) {
    boolean streamed = ctx != null && ctx.streamsMessages();
    JsonObject body = OpenAiWire.request(options.getModel(), messages, request, streamed);
    Promise<AiMessage> promise = Promise.promise();
    traced(ctx, promise.future());
    if (streamed) {
      @SuppressWarnings("unchecked") // frozen once, not per chunk: emitMessage takes a frozen map as it is
      Map<String, Object> metadata = (Map<String, Object>) io.graphloop.state.Values.freeze(streamMetadata(),
          "the stream metadata of a chat model");
      attempt(1, body, chunk -> ctx.emitMessage(chunk, metadata), promise);
    } else {
      attempt(1, body, null, promise);
    }
    return promise.future();
  }

  /**
   * The call's trace span under the node's ({@code chat <model>}, OpenTelemetry's GenAI attributes), when it runs in
   * a traced node: ended with the answer's token counts and outcome.
   */
  private void traced(NodeContext ctx, Future<AiMessage> answer) {
    if (ctx == null) {
      return;
    }
    io.graphloop.graph.TraceSpan span = ctx.startSpan("chat " + options.getModel());
    if (span == io.graphloop.graph.TraceSpan.NONE) {
      return;
    }
    span.setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", options.getModel());
    answer.onComplete(done -> {
      if (done.succeeded()) {
        AiMessage message = done.result();
        if (message.usage() != null) {
          if (message.usage().get("input_tokens") instanceof Number input) {
            span.setAttribute("gen_ai.usage.input_tokens", input.longValue());
          }
          if (message.usage().get("output_tokens") instanceof Number output) {
            span.setAttribute("gen_ai.usage.output_tokens", output.longValue());
          }
        }
        if (message.responseMetadata().get("model_name") instanceof String model) {
          span.setAttribute("gen_ai.response.model", model);
        }
        span.setAttribute("graphloop.outcome", "success").end(null);
      } else {
        span.setAttribute("graphloop.outcome", "failure").end(done.cause());
      }
    });
  }

  @Override
  public Future<AiMessage> stream(List<Message> messages, ChatRequest request, Handler<AiMessageChunk> onChunk) {
    Objects.requireNonNull(onChunk, "onChunk");
    JsonObject body = OpenAiWire.request(options.getModel(), messages, request, true);
    Promise<AiMessage> promise = Promise.promise();
    traced(NodeContext.current(), promise.future());
    attempt(1, body, chunk -> {
      onChunk.handle(chunk);
      return null;
    }, promise);
    return promise.future();
  }

  /** LangChain's metadata of a ChatOpenAI model's chunks. */
  @Override
  public Map<String, Object> streamMetadata() {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("ls_provider", "openai");
    metadata.put("ls_model_name", options.getModel());
    metadata.put("ls_model_type", "chat");
    return metadata;
  }

  private void attempt(int number, JsonObject body, Function<AiMessageChunk, Future<Void>> onChunk,
                       Promise<AiMessage> promise) {
    new Attempt(number, body, onChunk, promise).start();
  }

  /** One HTTP exchange; decides the outcome once (the first of: its end, its deadline, a bad event). */
  private final class Attempt {
    private final int number;
    private final JsonObject body;
    private final Function<AiMessageChunk, Future<Void>> onChunk; // a null or pending future: room later
    private final Promise<AiMessage> promise;
    private final ChunkAssembler assembler = new ChunkAssembler(options.getMaxResponseChars(),
        options.getMaxToolCalls());
    private final String fallbackId = "run-" + java.util.UUID.randomUUID();
    private final StringBuilder plain = new StringBuilder();
    private SseParser parser;
    private boolean delivered;
    private boolean done;
    private long timer;

    Attempt(int number, JsonObject body, Function<AiMessageChunk, Future<Void>> onChunk, Promise<AiMessage> promise) {
      this.number = number;
      this.body = body;
      this.onChunk = onChunk;
      this.promise = promise;
    }

    void start() {
      int limit = onChunk == null ? options.getMaxResponseChars() : options.getMaxEventChars();
      parser = new SseParser(this::event, limit, options.getErrorExcerptChars());
      HttpRequest<Void> request = client.postAbs(url).putHeader("Content-Type", "application/json")
          .idleTimeout(options.getIdleTimeoutMs()).as(BodyCodec.pipe(onChunk == null ? new BoundedBody(plain,
              options.getMaxResponseChars(), parser) : parser));
      if (onChunk != null) {
        request.putHeader("Accept", "text/event-stream");
      }
      if (options.getApiKey() != null) {
        request.putHeader("Authorization", "Bearer " + options.getApiKey());
      }
      timer = vertx.setTimer(options.getTimeoutMs(), t -> fail(0, "", new java.util.concurrent.TimeoutException(
          "no complete answer within " + options.getTimeoutMs() + " ms (OpenAiOptions.timeoutMs)"), null));
      request.sendJsonObject(body).onComplete(ar -> {
        if (ar.failed()) {
          fail(0, parser.excerpt(), ar.cause(), null);
        } else {
          response(ar.result());
        }
      });
    }

    private void event(String data) {
      if (done || onChunk == null || data.isBlank() || "[DONE]".equals(data.trim())) { // a blank event: a keep-alive
        return;
      }
      AiMessageChunk chunk = ChunkEvents.plainText(data, fallbackId); // a token of text: no JSON tree per token
      if (chunk == null) { // any other event: read as a JsonObject
        JsonObject event;
        try {
          event = new JsonObject(data);
        } catch (DecodeException e) {
          fail(0, data, new IllegalArgumentException("a stream event is not JSON: " + excerpt(data)), null);
          return;
        }
        if (event.getValue("error") != null) {
          fail(200, data, new IllegalStateException("the stream reported an error"), null);
          return;
        }
        chunk = OpenAiWire.chunk(event, fallbackId);
      }
      try {
        assembler.add(chunk);
      } catch (IllegalStateException e) {
        fail(0, "", e, null);
        return;
      }
      delivered = true;
      Future<Void> taken;
      try {
        taken = onChunk.apply(chunk);
      } catch (RuntimeException e) {
        fail(0, "", e, null);
        return;
      }
      if (taken != null && !taken.succeeded()) { // the stream cannot take more now: stop reading until it can
        parser.pause();
        taken.onComplete(ar -> {
          if (ar.failed()) {
            fail(0, "", ar.cause(), null);
          } else {
            parser.resume();
          }
        });
      }
    }

    private void response(HttpResponse<Void> response) {
      if (done) {
        return;
      }
      int status = response.statusCode();
      if (status < 200 || status >= 300) {
        fail(status, parser.excerpt(), null, RetryAfter.millis(response.headers()));
        return;
      }
      AiMessage message;
      try {
        message = onChunk != null ? assembler.message()
            : OpenAiWire.response(new JsonObject(plain.toString()), options.getMaxToolCalls());
      } catch (RuntimeException e) {
        fail(status, onChunk != null ? "" : excerpt(plain.toString()), e, null);
        return;
      }
      done = true;
      vertx.cancelTimer(timer);
      promise.complete(message);
    }

    private void fail(int status, String bodyText, Throwable cause, Long retryAfterMs) {
      if (done) {
        return;
      }
      done = true;
      vertx.cancelTimer(timer);
      String excerpt = excerpt(bodyText);
      ChatModelException error = new ChatModelException("Chat model '" + options.getModel() + "' at " + url
          + (status == 0 ? " gave no answer" : " answered HTTP " + status) + " (attempt " + number + "/"
          + (options.getMaxRetries() + 1) + ")" + (cause == null ? "" : ": " + cause.getMessage())
          + (excerpt.isEmpty() ? "" : "; body: " + excerpt), status, excerpt, number, cause);
      boolean again = error.retryable() && number <= options.getMaxRetries() && !delivered;
      if (!again) {
        promise.fail(error);
        return;
      }
      long delay = retryAfterMs != null ? retryAfterMs : backoff(number);
      if (delay > options.getMaxBackoffMs()) {
        promise.fail(new ChatModelException(error.getMessage() + "; the server asks to retry after " + delay
            + " ms, longer than maxBackoffMs " + options.getMaxBackoffMs(), status, excerpt, number, cause));
        return;
      }
      vertx.setTimer(Math.max(1, delay), t -> attempt(number + 1, body, onChunk, promise));
    }

    private long backoff(int attempt) {
      long base = Math.min(options.getMaxBackoffMs(), options.getInitialBackoffMs() << Math.min(20, attempt - 1));
      return base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private String excerpt(String text) {
      return text.length() <= options.getErrorExcerptChars() ? text
          : text.substring(0, options.getErrorExcerptChars()) + "...";
    }
  }
}
