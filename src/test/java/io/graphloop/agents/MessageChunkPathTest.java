package io.graphloop.agents;

import io.graphloop.client.RunEventStream;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Values;
import io.vertx.core.Vertx;
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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a token costs on its way from a chat model in a node to a stream consumer in the same JVM (issue 15's
 * benchmark): the chunk the node emitted arrives as the frozen map it was, not a deep copy made by the event bus's
 * JSON codec, and the chunks of one answer share one metadata map, made once per answer, not per token.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MessageChunkPathTest {

  private FakeChatServer fake;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    FakeChatServer.start(vertx, 0).onComplete(test.succeeding(server -> {
      fake = server;
      test.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext test) {
    fake.close().onComplete(test.succeedingThenComplete());
  }

  /**
   * A coordinator hands a consumer in its own JVM its events through the stream's inbox, not as event-bus messages
   * (a message, delivery contexts and a duplicated context per token); a consumer on another member still gets them
   * by the bus (MessagesClusterIT).
   */
  @Test
  void streamEventsToAConsumerInTheSameJvmSkipTheBus(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("one two three"));
    java.util.concurrent.atomic.AtomicInteger onTheBus = new java.util.concurrent.atomic.AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().body() instanceof StreamEvent) {
        onTheBus.incrementAndGet();
      }
      delivery.next();
    });
    GraphRuntime.deploy(vertx, MessagesStreamTest.graph("chunk-inbox", fake.baseUrl()), new GraphRuntimeOptions())
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          List<StreamEvent> events = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(new HumanMessage("hi", "h-1"))),
              new RunOptions(), StreamMode.MESSAGES, StreamMode.VALUES);
          stream.handler(events::add);
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertTrue(events.size() > 5, "events: " + events);
            assertEquals(StreamEventType.END, events.get(events.size() - 1).event());
            assertEquals(0, onTheBus.get(), "stream events sent as bus messages");
            test.completeNow();
          }));
        })));
  }

  @Test
  void chunksArriveAsTheFrozenMapsEmittedSharingTheirAnswersMetadata(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("one two three four five"));
    GraphRuntime.deploy(vertx, MessagesStreamTest.graph("chunk-path", fake.baseUrl()), new GraphRuntimeOptions())
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          List<StreamEvent> chunks = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(new HumanMessage("hi", "h-1"))),
              new RunOptions(), StreamMode.MESSAGES);
          stream.handler(event -> {
            if (event.event() == StreamEventType.MESSAGES && event.data().get("message") instanceof Map<?, ?> message
                && "AIMessageChunk".equals(message.get("type"))) {
              chunks.add(event);
            }
          });
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertTrue(chunks.size() >= 5, "chunks: " + chunks);
            Object metadata = chunks.get(0).data().get("metadata");
            StringBuilder text = new StringBuilder();
            for (StreamEvent chunk : chunks) {
              assertTrue(Values.isFrozen(chunk.data().get("message")), "the emitted frozen map, not a copy: "
                  + chunk.data().get("message").getClass());
              assertSame(metadata, chunk.data().get("metadata"), "one metadata map per answer");
              text.append(((Map<?, ?>) chunk.data().get("message")).get("content"));
            }
            assertTrue(Values.isFrozen(metadata));
            assertEquals("agent", ((Map<?, ?>) metadata).get("langgraph_node"));
            assertEquals("fake-1", ((Map<?, ?>) metadata).get("ls_model_name"));
            assertEquals("one two three four five", text.toString());
            test.completeNow();
          }));
        })));
  }

  /**
   * A chat model's chunks, read from its response on the node's loop (its coordinator's), are handed to the coordinator
   * there ({@code ControlInbox}), not sent as bus messages to its control address, each a task queued on that loop
   * (issue 15). Back-pressure and order are {@link MessagesStreamTest#aSlowConsumerLosesNoChunk}'s.
   */
  @Test
  void aModelsChunksReachTheirCoordinatorWithoutABusMessage(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("one two three four five six"));
    java.util.concurrent.atomic.AtomicInteger onTheBus = new java.util.concurrent.atomic.AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (isChunk(delivery.message().body())) {
        onTheBus.incrementAndGet();
      }
      delivery.next();
    });
    GraphRuntime.deploy(vertx, MessagesStreamTest.graph("chunk-direct", fake.baseUrl()), new GraphRuntimeOptions())
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          StringBuilder text = new StringBuilder();
          RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(new HumanMessage("hi", "h-1"))),
              new RunOptions(), StreamMode.MESSAGES);
          stream.handler(event -> {
            if (event.data().get("message") instanceof Map<?, ?> message && "AIMessageChunk".equals(message.get("type"))) {
              text.append(message.get("content"));
            }
          });
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertEquals("one two three four five six", text.toString());
            assertEquals(0, onTheBus.get(), "message chunks sent to the coordinator as bus messages");
            test.completeNow();
          }));
        })));
  }

  /**
   * Order when a node's events take both ways: chunks emitted in the node's function (the coordinator may be calling
   * it) and every event after a custom event (which goes by the bus) go by the bus, so nothing handed over directly
   * overtakes an event still queued there: the stream shows them as emitted.
   */
  @Test
  void eventsKeepTheirOrderAcrossBothWays(Vertx vertx, VertxTestContext test) {
    io.graphloop.graph.CompiledGraph graph = new io.graphloop.graph.StateGraph("chunk-order")
        .addNode("talk", (state, ctx) -> {
          ctx.emitMessage(chunk("a")); // in the function: by the bus
          io.vertx.core.Promise<Map<String, Object>> done = io.vertx.core.Promise.promise();
          ctx.vertx().setTimer(5, t -> {
            ctx.emitMessage(chunk("b")); // a callback on the loop: would be handed over, but "a" went by the bus
            ctx.emit(Map.of("custom", "c"));
            ctx.emitMessage(chunk("d"));
            done.complete(Map.of());
          });
          return done.future();
        })
        .addNode("again", (state, ctx) -> {
          io.vertx.core.Promise<Map<String, Object>> done = io.vertx.core.Promise.promise();
          ctx.vertx().setTimer(5, t -> {
            ctx.emitMessage(chunk("e")); // handed over
            ctx.emit(Map.of("custom", "f")); // by the bus: from here on, all by the bus
            ctx.emitMessage(chunk("g"));
            ctx.emitMessage(chunk("h"));
            done.complete(Map.of());
          });
          return done.future();
        })
        .addEdge(io.graphloop.graph.StateGraph.START, "talk").addEdge("talk", "again")
        .addEdge("again", io.graphloop.graph.StateGraph.END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          List<String> seen = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of(), new RunOptions(), StreamMode.MESSAGES,
              StreamMode.CUSTOM);
          stream.handler(event -> {
            if (event.event() == StreamEventType.CUSTOM) {
              seen.add(String.valueOf(event.data().get("custom")));
            } else if (event.data().get("message") instanceof Map<?, ?> message) {
              seen.add(String.valueOf(message.get("content")));
            }
          });
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), seen);
            test.completeNow();
          }));
        })));
  }

  private static Map<String, Object> chunk(String content) {
    return Map.of("type", "AIMessageChunk", "content", content, "id", "m-" + content);
  }

  private static boolean isChunk(Object body) {
    return body instanceof io.vertx.core.json.JsonObject json && json.containsKey("message");
  }
}
