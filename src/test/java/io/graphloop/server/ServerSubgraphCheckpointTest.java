package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A stateful subgraph over HTTP: {@code GET /threads/{id}/state?subgraphs=true} shows the child's state with its
 * {@code checkpoint.checkpoint_ns} (LangGraph's {@code "ask"}: the node, no task id), and a run sent with that
 * {@code checkpoint} runs from the child's checkpoint (LangGraph's {@code invoke(..., sub_task.state.config)}): without
 * a resume the child asks again, with {@code command.resume} it takes the new answer. Real HTTP on 127.0.0.1.
 */
class ServerSubgraphCheckpointTest {

  private static CompiledGraph graph() {
    CompiledGraph ask = new StateGraph("sg-ask").channel("trail", Channels.append())
        .addNode("question", (state, ctx) -> Future.succeededFuture(Map.of("trail", "answer:" + ctx.interrupt("ok?"))))
        .addEdge(START, "question").addEdge("question", END).compile();
    return new StateGraph("sg-parent").channel("trail", Channels.append())
        .addNode("before", state -> Future.succeededFuture(Map.of("trail", "before")))
        .addSubgraph("ask", Subgraph.of(ask).stateful())
        .addEdge(START, "before").addEdge("before", "ask").addEdge("ask", END).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(graph()));

  @Test
  void aRunWithASubgraphsCheckpointRunsFromIt() {
    String thread = server.thread();
    JsonObject input = new JsonObject().put("assistant_id", "sg-parent")
        .put("input", new JsonObject().put("trail", new JsonArray()));
    server.post("/threads/" + thread + "/runs/wait", input);
    JsonObject state = server.get("/threads/" + thread + "/state?subgraphs=true").json();
    JsonObject child = state.getJsonArray("tasks").getJsonObject(0).getJsonObject("state");
    org.junit.jupiter.api.Assertions.assertNotNull(child, state.encode());
    JsonObject checkpoint = child.getJsonObject("checkpoint");
    assertEquals("ask", checkpoint.getString("checkpoint_ns"), child.encode());
    assertEquals(thread, checkpoint.getString("thread_id"));

    JsonObject replayed = server.post("/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "sg-parent").put("checkpoint", checkpoint)).json();
    assertEquals("ok?", replayed.getJsonArray("__interrupt__").getJsonObject(0).getValue("value"), replayed.encode());

    JsonObject answered = server.post("/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "sg-parent").put("checkpoint", checkpoint)
        .put("command", new JsonObject().put("resume", "yes"))).json();
    assertEquals(new JsonArray().add("before").add("before").add("answer:yes"), answered.getJsonArray("trail"),
        answered.encode());
  }
}
