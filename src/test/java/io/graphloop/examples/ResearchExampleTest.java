package io.graphloop.examples;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.FakeReply;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.store.SqliteStore;
import io.graphloop.store.Store;
import io.graphloop.store.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed made real ({@link ResearchExample}): {@code llm} asks a model over real HTTP ({@link FakeChatServer} on
 * 127.0.0.1, speaking OpenAI's streaming wire format) while {@code db} searches a SQLite long-term store, both in
 * the same superstep.
 */
@ExtendWith(VertxExtension.class)
class ResearchExampleTest {

  private FakeChatServer fake;
  private Store store;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test, @TempDir Path dir) {
    FakeChatServer.start(vertx, 0)
        .compose(server -> {
          fake = server;
          return SqliteStore.open(vertx, dir.resolve("store.db"), new StoreOptions());
        })
        .compose(opened -> {
          store = opened;
          return Future.all(
              store.put(ResearchExample.DOCUMENTS, "d1", Map.of("text", "Pregel runs supersteps.", "topic", "graphs")),
              store.put(ResearchExample.DOCUMENTS, "d2", Map.of("text", "Vert.x has event loops.", "topic", "jvm")),
              store.put(ResearchExample.DOCUMENTS, "d3", Map.of("text", "Reducers merge writes.", "topic", "graphs")));
        })
        .onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext test) {
    Future.all(fake == null ? Future.succeededFuture() : fake.close(),
        store == null ? Future.succeededFuture() : store.close()).onComplete(test.succeedingThenComplete());
  }

  @Test
  @SuppressWarnings("unchecked")
  void theModelAndTheStoreAreAskedInOneSuperstep(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("LangGraph runs graphs in supersteps.").delays(100, 10));
    GraphRuntime.deploy(vertx, ResearchExample.graph(new OpenAiOptions().setBaseUrl(fake.baseUrl())
            .setModel("fake-1")), new GraphRuntimeOptions().setStore(store))
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          List<StreamEvent> tasks = new ArrayList<>();
          List<Map<String, Object>> values = new ArrayList<>();
          var stream = runtime.client().stream(Map.of("query", "How does LangGraph run?", "topic", "graphs"),
              new RunOptions(), StreamMode.TASKS, StreamMode.VALUES);
          stream.handler(event -> {
            if (event.event().wireName().equals("tasks")) {
              tasks.add(event);
            } else if (event.event().wireName().equals("values")) {
              values.add(event.data());
            }
          });
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            Map<String, Object> last = values.get(values.size() - 1);
            assertEquals("LangGraph runs graphs in supersteps.", last.get("llm_result"), "the model's answer");
            List<String> documents = new ArrayList<>((List<String>) last.get("db_result"));
            documents.sort(null); // the store lists the newest first; the puts above ran at once
            assertEquals(List.of("Pregel runs supersteps.", "Reducers merge writes."), documents,
                "the store's documents of the topic");
            JsonObject request = fake.requests().get(0);
            assertTrue(request.encode().contains("How does LangGraph run?"), "the query went to the model: " + request);
            // both tasks start in one step before either ends: they run at once, not one after the other
            List<String> order = new ArrayList<>();
            for (StreamEvent task : tasks) {
              String name = String.valueOf(task.data().get("name"));
              if (name.equals("llm") || name.equals("db")) {
                order.add((task.data().containsKey("result") || task.data().containsKey("error") ? "end " : "start ")
                    + name + "@" + task.step());
              }
            }
            assertEquals(4, order.size(), order.toString());
            assertTrue(order.get(0).startsWith("start ") && order.get(1).startsWith("start "), order.toString());
            assertEquals(order.get(0).substring(order.get(0).indexOf('@')),
                order.get(1).substring(order.get(1).indexOf('@')), "one superstep: " + order);
            test.completeNow();
          }));
        })));
  }

  @Test
  void anInputWithoutQueryFailsClearly(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, ResearchExample.graph(new OpenAiOptions().setBaseUrl(fake.baseUrl())),
            new GraphRuntimeOptions().setStore(store))
        .compose(runtime -> runtime.client().invoke(Map.of("topic", "graphs")))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertTrue(String.valueOf(failure.getMessage()).contains("needs a non-empty string 'query'"),
              failure.toString());
          assertEquals(0, fake.requests().size(), "no model call for a bad input");
          test.completeNow();
        })));
  }
}
