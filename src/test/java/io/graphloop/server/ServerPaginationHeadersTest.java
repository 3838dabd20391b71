package io.graphloop.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The paging headers of the search endpoints ({@link PageHeaders}), over real HTTP on 127.0.0.1:
 * {@code X-Pagination-Total} is the number of matches before paging, {@code X-Pagination-Next} the next page's
 * offset, absent on the last page (and on an empty one). {@code langgraphjs dev} 1.5.1 sends them on
 * {@code POST /threads/search} and {@code POST /assistants/search} only (not on a thread's runs list, which
 * answers neither here either); its values differ, see src/docs/server-differences.md.
 */
class ServerPaginationHeadersTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  private static String total(ServerFixture.Answer answer) {
    return answer.headers().firstValue(PageHeaders.TOTAL).orElse(null);
  }

  private static Optional<String> next(ServerFixture.Answer answer) {
    return answer.headers().firstValue(PageHeaders.NEXT);
  }

  @Test
  void threadSearchSendsTotalAndNextOffsetUntilTheLastPage() {
    JsonObject team = new JsonObject().put("team", "pages-" + System.nanoTime());
    for (int i = 0; i < 5; i++) {
      assertEquals(200, server.post("/threads", new JsonObject().put("metadata", team)).status());
    }
    JsonObject filter = new JsonObject().put("metadata", team);
    ServerFixture.Answer first = server.post("/threads/search", filter.copy().put("limit", 2));
    assertEquals(2, first.array().size());
    assertEquals("5", total(first));
    assertEquals(Optional.of("2"), next(first));
    ServerFixture.Answer middle = server.post("/threads/search", filter.copy().put("limit", 2).put("offset", 2));
    assertEquals("5", total(middle));
    assertEquals(Optional.of("4"), next(middle));
    ServerFixture.Answer last = server.post("/threads/search", filter.copy().put("limit", 2).put("offset", 4));
    assertEquals(1, last.array().size());
    assertEquals("5", total(last));
    assertEquals(Optional.empty(), next(last));
    ServerFixture.Answer exact = server.post("/threads/search", filter.copy().put("limit", 5));
    assertEquals("5", total(exact));
    assertEquals(Optional.empty(), next(exact), "a page ending on the last match has no next page");
    ServerFixture.Answer past = server.post("/threads/search", filter.copy().put("offset", 9));
    assertEquals(0, past.array().size());
    assertEquals("5", total(past));
    assertEquals(Optional.empty(), next(past));
    ServerFixture.Answer none = server.post("/threads/search", new JsonObject().put("metadata",
        new JsonObject().put("team", "nobody")));
    assertEquals("0", total(none));
    assertEquals(Optional.empty(), next(none));
  }

  @Test
  void assistantSearchSendsTotalAndNextOffsetUntilTheLastPage() {
    // the four system assistants of SdkGraphs' graphs, and two of graph echo created here
    String name = "paged-" + System.nanoTime();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, server.post("/assistants", new JsonObject().put("graph_id", "echo").put("name", name))
          .status());
    }
    ServerFixture.Answer named = server.post("/assistants/search", new JsonObject().put("name", name)
        .put("limit", 1));
    assertEquals(1, named.array().size());
    assertEquals("2", total(named));
    assertEquals(Optional.of("1"), next(named));
    ServerFixture.Answer lastNamed = server.post("/assistants/search", new JsonObject().put("name", name)
        .put("limit", 1).put("offset", 1));
    assertEquals("2", total(lastNamed));
    assertEquals(Optional.empty(), next(lastNamed));
    int all = Integer.parseInt(server.post("/assistants/count", new JsonObject()).body().trim());
    assertEquals(6, all, "four system assistants and the two created here");
    ServerFixture.Answer everything = server.post("/assistants/search", new JsonObject().put("limit", 100));
    assertEquals(all, everything.array().size());
    assertEquals(String.valueOf(all), total(everything));
    assertEquals(Optional.empty(), next(everything));
  }

  @Test
  void aThreadsRunListHasNoPagingHeadersAsInTheReference() {
    String thread = server.post("/threads", new JsonObject()).json().getString("thread_id");
    server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")));
    ServerFixture.Answer runs = server.get("/threads/" + thread + "/runs?limit=1");
    assertEquals(200, runs.status());
    assertEquals(1, runs.array().size());
    assertEquals(null, total(runs));
    assertEquals(Optional.empty(), next(runs));
  }
}
