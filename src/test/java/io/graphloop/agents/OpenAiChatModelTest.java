package io.graphloop.agents;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OpenAiChatModel} against {@link FakeChatServer}, a real HTTP server on 127.0.0.1 speaking OpenAI's wire
 * format: streamed text, tool calls split across chunks, 429 with Retry-After, 500, a dropped connection, a slow first
 * token, and that every callback runs on the caller's event loop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OpenAiChatModelTest {

  private FakeChatServer fake;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    client = WebClient.create(vertx);
    FakeChatServer.start(vertx, 0).onComplete(test.succeeding(server -> {
      fake = server;
      test.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext test) {
    client.close();
    fake.close().onComplete(test.succeedingThenComplete());
  }

  private OpenAiChatModel model(Vertx vertx, OpenAiOptions options) {
    return new OpenAiChatModel(vertx, client, options.setBaseUrl(fake.baseUrl()).setModel("fake-1")
        .setApiKey("sk-test-secret").setInitialBackoffMs(1));
  }

  /** Runs {@code body} on a fresh event-loop context, as a node would. */
  private static void onLoop(Vertx vertx, Runnable body) {
    vertx.getOrCreateContext().runOnContext(v -> body.run());
  }

  @Test
  void streamedTextArrivesChunkByChunkOnTheCallersEventLoop(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("Hello there, world!"));
    onLoop(vertx, () -> {
      Context caller = Vertx.currentContext();
      List<String> tokens = new ArrayList<>();
      model(vertx, new OpenAiOptions()).stream(List.of(Message.system("be brief"), Message.human("hi")),
          ChatRequest.NONE, chunk -> {
            test.verify(() -> {
              assertTrue(Context.isOnEventLoopThread());
              assertSame(caller, Vertx.currentContext());
            });
            tokens.add(chunk.content());
          }).onComplete(test.succeeding(message -> test.verify(() -> {
            assertSame(caller, Vertx.currentContext());
            assertEquals("Hello there, world!", message.text());
            assertEquals(List.of("", "Hello ", "there, ", "world!", "", ""), tokens);
            assertEquals("chatcmpl-fake-1", message.id());
            assertEquals(Map.of("input_tokens", 10, "output_tokens", 3, "total_tokens", 13), message.usage());
            assertEquals("stop", message.responseMetadata().get("finish_reason"));
            JsonObject sent = fake.requests().get(0);
            assertEquals("fake-1", sent.getString("model"));
            assertTrue(sent.getBoolean("stream"));
            assertEquals(new JsonObject().put("role", "system").put("content", "be brief"),
                sent.getJsonArray("messages").getJsonObject(0));
            test.completeNow();
          })));
    });
  }

  @Test
  void heartbeatsAndBlankEventsAreIgnored(Vertx vertx, VertxTestContext test) {
    // A server scripted for this test: keep-alive comments, a blank data event, an event without data, CRLF line ends.
    String chunk = "{\"id\":\"c-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}";
    String body = ": keep-alive\r\n\r\ndata: " + chunk.formatted("Hel") + "\r\n\r\ndata:\r\n\r\ndata: \r\n\r\n"
        + "event: ping\r\n\r\n: keep-alive\r\n\r\ndata: " + chunk.formatted("lo") + "\r\n\r\n"
        + "data: {\"id\":\"c-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n"
        + "data: [DONE]\r\n\r\n";
    vertx.createHttpServer().requestHandler(request -> request.response().setChunked(true)
        .putHeader("content-type", "text/event-stream").end(body)).listen(0, "127.0.0.1")
        .onComplete(test.succeeding(server -> onLoop(vertx, () -> {
          List<String> tokens = new ArrayList<>();
          new OpenAiChatModel(vertx, client, new OpenAiOptions().setBaseUrl("http://127.0.0.1:" + server.actualPort()
              + "/v1").setModel("m").setMaxRetries(0)).stream(List.of(Message.human("hi")), ChatRequest.NONE,
                  c -> tokens.add(c.content())).onComplete(test.succeeding(message -> test.verify(() -> {
                    assertEquals("Hello", message.text());
                    assertEquals(List.of("Hel", "lo", ""), tokens);
                    server.close();
                    test.completeNow();
                  })));
        })));
  }

  @Test
  void toolCallsSplitAcrossChunksAreAssembled(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.toolCalls(new ToolCall("call_a", "add", Map.of("a", 2, "b", 3)),
        new ToolCall("call_m", "multiply", Map.of("a", 4, "b", 5))));
    Tool add = Tool.of("add", "Adds", Args.class, a -> Future.succeededFuture(a.a() + a.b()));
    onLoop(vertx, () -> {
      List<AiMessageChunk> chunks = new ArrayList<>();
      model(vertx, new OpenAiOptions()).stream(List.of(Message.human("2+3 and 4*5")), ChatRequest.withTools(List.of(add)),
          chunks::add).onComplete(test.succeeding(message -> test.verify(() -> {
            assertEquals(List.of(new ToolCall("call_a", "add", Map.of("a", 2, "b", 3)),
                new ToolCall("call_m", "multiply", Map.of("a", 4, "b", 5))), message.toolCalls());
            assertTrue(chunks.stream().filter(c -> !c.toolCallChunks().isEmpty()).count() >= 4,
                "each call's arguments came in several chunks");
            assertEquals("tool_calls", message.responseMetadata().get("finish_reason"));
            assertEquals("add", fake.requests().get(0).getJsonArray("tools").getJsonObject(0)
                .getJsonObject("function").getString("name"));
            test.completeNow();
          })));
    });
  }

  @Test
  void aPlainCallReadsTheWholeAnswer(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.toolCalls(new ToolCall("c1", "multiply", Map.of("a", 6, "b", 7))));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions()).invoke(List.of(Message.human("6*7")), ChatRequest.NONE)
        .onComplete(test.succeeding(message -> test.verify(() -> {
          assertEquals(List.of(new ToolCall("c1", "multiply", Map.of("a", 6, "b", 7))), message.toolCalls());
          assertFalse(fake.requests().get(0).containsKey("stream"));
          test.completeNow();
        }))));
  }

  @Test
  void structuredOutputSendsTheJsonSchemaAndExtraFieldsAndTheAnswerIsTheJson(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("{\"city\":\"Paris\",\"population\":2102650}"));
    JsonObject schema = new JsonObject().put("name", "city").put("strict", true).put("schema", new JsonObject()
        .put("type", "object").put("properties", new JsonObject()
            .put("city", new JsonObject().put("type", "string"))
            .put("population", new JsonObject().put("type", "integer")))
        .put("required", new io.vertx.core.json.JsonArray().add("city").add("population"))
        .put("additionalProperties", false));
    ChatRequest request = new ChatRequest(List.of(), schema, new JsonObject().put("temperature", 0));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions()).invoke(List.of(Message.human("The capital of France?")),
        request).onComplete(test.succeeding(message -> test.verify(() -> {
          assertEquals(new JsonObject().put("city", "Paris").put("population", 2102650), new JsonObject(message.text()));
          JsonObject sent = fake.requests().get(0);
          assertEquals(new JsonObject().put("type", "json_schema").put("json_schema", schema),
              sent.getJsonObject("response_format"));
          assertEquals(0, sent.getInteger("temperature"));
          test.completeNow();
        }))));
  }

  @Test
  void a429WithRetryAfterAndA500AreRetried(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.error(429, "slow down", Map.of("Retry-After", "0")),
        FakeReply.error(500, "oops", Map.of()), FakeReply.text("finally"));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions()).stream(List.of(Message.human("hi")), ChatRequest.NONE,
        c -> { }).onComplete(test.succeeding(message -> test.verify(() -> {
          assertEquals("finally", message.text());
          assertEquals(3, fake.requests().size());
          test.completeNow();
        }))));
  }

  @Test
  void retriesGiveUpWithTheStatusAndBodyExcerptAndNeverTheKey(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.error(500, "first", Map.of()), FakeReply.error(503, "second", Map.of()),
        FakeReply.error(500, "third and last", Map.of()));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions().setMaxRetries(2)).invoke(List.of(Message.human("hi")),
        ChatRequest.NONE).onComplete(test.failing(error -> test.verify(() -> {
          ChatModelException e = assertInstanceOf(ChatModelException.class, error);
          assertEquals(500, e.status());
          assertEquals(3, e.attempts());
          assertTrue(e.bodyExcerpt().contains("third and last"), e.bodyExcerpt());
          assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("/v1/chat/completions"),
              e.getMessage());
          assertFalse(e.getMessage().contains("sk-test-secret"));
          assertFalse(model(vertx, new OpenAiOptions()).options().toString().contains("sk-test-secret"));
          test.completeNow();
        }))));
  }

  @Test
  void aRetryAfterLongerThanTheMaximumBackoffFailsAtOnce(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.error(429, "quota", Map.of("Retry-After", "3600")));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions()).invoke(List.of(Message.human("hi")), ChatRequest.NONE)
        .onComplete(test.failing(error -> test.verify(() -> {
          assertTrue(error.getMessage().contains("retry after 3600000 ms"), error.getMessage());
          assertEquals(1, fake.requests().size());
          test.completeNow();
        }))));
  }

  @Test
  void aClientErrorIsNotRetried(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.error(401, "bad key", Map.of()));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions()).invoke(List.of(Message.human("hi")), ChatRequest.NONE)
        .onComplete(test.failing(error -> test.verify(() -> {
          assertEquals(401, ((ChatModelException) error).status());
          assertEquals(1, fake.requests().size());
          test.completeNow();
        }))));
  }

  @Test
  void aConnectionDroppedBeforeAnswerIsRetriedButNotOneDroppedMidStream(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.drop(), FakeReply.text("after a drop"),
        FakeReply.text("one two three four").dropAfter(3));
    OpenAiChatModel model = model(vertx, new OpenAiOptions());
    onLoop(vertx, () -> model.stream(List.of(Message.human("hi")), ChatRequest.NONE, c -> { })
        .compose(first -> {
          test.verify(() -> assertEquals("after a drop", first.text()));
          List<String> seen = new ArrayList<>();
          return model.stream(List.of(Message.human("hi")), ChatRequest.NONE, c -> seen.add(c.content()))
              .map(m -> (Object) m).recover(e -> Future.succeededFuture(List.of(e, seen)));
        }).onComplete(test.succeeding(outcome -> test.verify(() -> {
          List<?> failed = assertInstanceOf(List.class, outcome, "the mid-stream drop must fail the call");
          ChatModelException e = assertInstanceOf(ChatModelException.class, failed.get(0));
          assertEquals(0, e.status());
          assertEquals(1, e.attempts(), "tokens were delivered: no retry");
          assertFalse(((List<?>) failed.get(1)).isEmpty());
          assertEquals(3, fake.requests().size());
          test.completeNow();
        }))));
  }

  @Test
  void aSlowFirstTokenHitsTheIdleTimeout(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("late").delays(5_000, 0));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions().setIdleTimeoutMs(200).setMaxRetries(0))
        .stream(List.of(Message.human("hi")), ChatRequest.NONE, c -> { })
        .onComplete(test.failing(error -> test.verify(() -> {
          ChatModelException e = assertInstanceOf(ChatModelException.class, error);
          assertEquals(0, e.status());
          test.completeNow();
        }))));
  }

  @Test
  void aStreamLongerThanTheBoundIsRefused(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("x".repeat(5000)));
    onLoop(vertx, () -> model(vertx, new OpenAiOptions().setMaxResponseChars(1000).setMaxRetries(0))
        .stream(List.of(Message.human("hi")), ChatRequest.NONE, c -> { })
        .onComplete(test.failing(error -> test.verify(() -> {
          assertTrue(error.getMessage().contains("maxResponseChars"), error.getMessage());
          test.completeNow();
        }))));
  }

  @Test
  void optionsComeFromConfigurationThenTheEnvironment() {
    OpenAiOptions env = OpenAiOptions.fromConfig(null, Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1",
        "OPENAI_API_KEY", "k", "GRAPHLOOP_MODEL", "m"));
    assertEquals("http://127.0.0.1:9/v1", env.getBaseUrl());
    assertEquals("k", env.getApiKey());
    assertEquals("m", env.getModel());
    OpenAiOptions config = OpenAiOptions.fromConfig(new JsonObject().put("model", "c").put("maxRetries", 5),
        Map.of("GRAPHLOOP_MODEL", "m"));
    assertEquals("c", config.getModel());
    assertEquals(5, config.getMaxRetries());
    IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new OpenAiOptions(new JsonObject().put("retries", 1)));
    assertTrue(bad.getMessage().contains("maxRetries"), bad.getMessage());
    assertNotNull(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new OpenAiOptions().setBaseUrl("ftp://x")));
  }

  record Args(int a, int b) {
  }
}
