package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.checkpoint.PostgresCheckpointStore;
import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.checkpoint.SqliteCheckpointStore;
import io.graphloop.checkpoint.SqliteStoreOptions;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.TaskResultsParityTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Task results on each checkpoint store (memory, SQLite, a real PostgreSQL from {@link PostgresTestServer}): the
 * history, each state by checkpoint id, and history pages after a cursor (whose checkpoints' children are read from
 * the store) show LangGraph's results (src/test/resources/langgraph/task_results.py, "a lone interrupted task").
 */
class TaskResultsStoresTest {

  @TempDir
  Path dir;

  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<CheckpointStore> stores = new ArrayList<>();
  private PostgresTestServer server;

  @AfterEach
  void close() {
    stores.forEach(store -> result(store.close()));
    vertxes.forEach(vertx -> result(vertx.close()));
    if (server != null) {
      server.close();
    }
  }

  private Vertx vertx() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    return vertx;
  }

  @Test
  void memory() {
    scenario(vertx(), new MemoryCheckpointStore());
  }

  @Test
  void sqlite() {
    Vertx vertx = vertx();
    SqliteCheckpointStore store = result(SqliteCheckpointStore.open(vertx, new SqliteStoreOptions()
        .setDataDir(dir.toString()).setFileName("results.db")));
    stores.add(store);
    scenario(vertx, store);
  }

  @Test
  void postgres() {
    server = PostgresTestServer.startOrSkip();
    Vertx vertx = vertx();
    PostgresCheckpointStore store = result(PostgresCheckpointStore.open(vertx, server.storeOptions()));
    stores.add(store);
    scenario(vertx, store);
  }

  private static void scenario(Vertx vertx, CheckpointStore store) {
    StateGraph graph = new StateGraph("trs-lone").strictChannels()
        .channel("question", Channels.lastValue()).channel("answer", Channels.lastValue())
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt(s.getString("question")) + "!")))
        .addNode("done", s -> Future.succeededFuture(Map.of("question", "answered")))
        .addEdge(START, "ask").addEdge("ask", "done").addEdge("done", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions(), store))
        .client();
    String thread = "q-" + java.util.UUID.randomUUID();
    RunOptions options = new RunOptions().setThreadId(thread);
    result(client.run(Map.of("question", "why?"), options));
    result(client.run(Command.resume("because"), options));
    List<List<Object>> expected = List.of(
        line("loop", 2, List.of(), Map.of("question", "answered", "answer", "because!")),
        line("loop", 1, List.of("done"), Map.of("question", "why?", "answer", "because!"),
            "done", Map.of("question", "answered"), List.of()),
        line("loop", 0, List.of("ask"), Map.of("question", "why?"),
            "ask", Map.of("answer", "because!"), List.of("why?")),
        line("input", -1, List.of(START), Map.of(), START, Map.of("question", "why?"), List.of()));
    List<ThreadState> history = result(client.getStateHistory(thread, 0, null));
    assertEquals(expected, history.stream().map(TaskResultsParityTest::line).toList());
    List<Object> byId = new ArrayList<>();
    for (ThreadState state : history) {
      byId.add(line(result(client.getState(thread, state.checkpointId()))));
    }
    assertEquals(expected, byId, "each state by checkpoint id");
    List<Object> paged = new ArrayList<>();
    String before = null;
    do { // pages of one: each page's checkpoint has its children outside the page
      List<ThreadState> page = result(client.getStateHistory(thread, 1, before));
      page.forEach(state -> paged.add(line(state)));
      before = page.isEmpty() ? null : page.get(0).checkpointId();
    } while (before != null);
    assertEquals(expected, paged, "history pages after a cursor");
  }
}
