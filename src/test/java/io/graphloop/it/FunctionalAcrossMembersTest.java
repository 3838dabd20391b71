package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.graph.InterruptIds;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The functional API across cluster members (two clustered Vert.x instances in this JVM, talking over loopback TCP):
 * the entrypoint's node runs on one member, the run's coordinator and its thread's checkpoints on the other. Each task
 * call's result crosses the bus to the coordinator, is stored there, and a resume (whose node request carries the
 * stored calls back) does not run the task again. A resume map ({@code Command.resume({interrupt id: value})}) reaches
 * the node requests sent to the other member, and through the run's configuration the child runs a subgraph node starts
 * there. Blocking waits are on the JUnit thread, never on an event loop.
 */
class FunctionalAcrossMembersTest {

  private static final AtomicInteger DRAFTS = new AtomicInteger();
  private static Vertx member;
  private static Vertx coordinator;

  @BeforeAll
  static void cluster() throws Exception {
    LoopbackCluster cluster = LoopbackCluster.of(2);
    member = ClusteredVertx.start(cluster.liteMember(0).setLiteMember(false))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    coordinator = ClusteredVertx.start(cluster.liteMember(1))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    for (CompiledGraph graph : List.of(graph(), asks(), prompts())) {
      GraphRuntime.deploy(member, graph, new GraphRuntimeOptions().setCoordinator(false))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      GraphRuntime.deploy(coordinator, graph, new GraphRuntimeOptions().setNodes(List.of())
              .setCheckpointer(new JsonObject().put("type", "memory")))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (coordinator != null) {
      coordinator.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (member != null) {
      member.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static CompiledGraph graph() {
    Task<String, Map<String, Object>> draft = Task.of("draft", (topic, ctx) -> {
      DRAFTS.incrementAndGet();
      return Future.succeededFuture(Map.of("text", "about " + topic, "words", List.of("about", topic)));
    });
    return Entrypoint.<String, Object>of("remote-review", (topic, ctx) -> ctx.call(draft, topic)
        .map(essay -> Map.of("essay", essay, "approved", ctx.interrupt(Map.of("essay", essay))))).compile();
  }

  @Test
  void aTaskCallStoredFromAnotherMemberIsNotRunAgainOnResume() throws Exception {
    GraphClient client = GraphClient.create(coordinator, "remote-review", 60_000);
    RunOptions thread = new RunOptions().setThreadId("across-1");
    RunResult asked = client.run(Entrypoint.input("graphs"), thread)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    Map<String, Object> essay = Map.of("text", "about graphs", "words", List.of("about", "graphs"));
    assertEquals(Map.of("essay", essay), asked.interrupts().get(0).get("value"));

    RunResult done = client.run(Command.resume(true), thread)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(Map.of("essay", essay, "approved", true), Entrypoint.output(done));
    assertEquals(1, DRAFTS.get(), "the draft task ran once; the resume got its stored result");
  }

  /** Two task calls at once, both asking; the run reports the one the entrypoint waits for ("a"). */
  private static CompiledGraph asks() {
    Task<String, String> ask = Task.blocking("ask", (q, ctx) -> {
      if (q.equals("a")) {
        Thread.sleep(300);
      }
      return q + ":" + ctx.interrupt(q);
    });
    return Entrypoint.<Object, Object>of("remote-asks", (input, ctx) -> {
      Future<String> a = ctx.call(ask, "a");
      Future<String> b = ctx.call(ask, "b");
      return a.compose(first -> b.map(second -> List.of(first, second)));
    }).compile();
  }

  /** Sends to a subgraph node whose child asks for each prompt; every node is on the other member. */
  private static CompiledGraph prompts() {
    CompiledGraph child = new StateGraph("remote-prompt").channel("human_inputs", Channels.append())
        .addNode("get_human_input", (state, ctx) -> {
          Object input = ctx.interrupt(state.getString("prompt"));
          return Future.succeededFuture(Map.of("human_inputs", List.of(input)));
        })
        .addEdge(START, "get_human_input").addEdge("get_human_input", END).compile();
    return new StateGraph("remote-prompts").channel("prompts", Channels.lastValue())
        .channel("human_inputs", Channels.append()).strictChannels()
        .addSubgraph("child_graph", child)
        .addConditionalEdges(START, state -> {
          List<Object> sends = new ArrayList<>();
          ((List<?>) state.get("prompts")).forEach(p -> sends.add(new Send("child_graph", Map.of("prompt", p))));
          return sends;
        }, List.of("child_graph"))
        .addEdge("child_graph", END).compile();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * The id of call "b", not reported yet, is computed from its task event and the entrypoint's namespace; one resume
   * map answers both calls, though the entrypoint runs on the other member.
   */
  @Test
  void aResumeMapAnswersAnUnreportedInterruptOnAnotherMember() throws Exception {
    GraphClient client = GraphClient.create(coordinator, "remote-asks", 60_000);
    RunOptions thread = new RunOptions().setThreadId("across-asks");
    List<StreamEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
    coordinator.runOnContext(start -> {
      RunEventStream stream = client.stream(Entrypoint.input(1), thread, StreamMode.UPDATES, StreamMode.TASKS);
      stream.exceptionHandler(ended::tryFail);
      stream.handler(event -> {
        events.add(event);
        if (StreamEvent.END.equals(event.event())) {
          ended.tryComplete();
        }
      });
    });
    await(ended.future());
    Map<String, String> calls = new LinkedHashMap<>();
    for (StreamEvent event : events) {
      if (event.event() == StreamEventType.TASKS && "ask".equals(event.data().get("name"))
          && event.data().containsKey("input")) {
        calls.put(String.valueOf(event.data().get("input")), (String) event.data().get("id"));
      }
    }
    ThreadState state = await(client.getState("across-asks"));
    assertEquals(List.of("a"), state.interrupts().stream().map(i -> i.get("value")).toList());
    String entry = (String) state.tasks().get(0).get("checkpointNs");
    RunResult done = await(client.run(Command.resume(Map.of(InterruptIds.of(entry + "|ask:" + calls.get("a")), "A",
        InterruptIds.of(entry + "|ask:" + calls.get("b")), "B")), thread));
    assertEquals(RunStatus.SUCCESS, done.status());
    assertEquals(List.of("a:A", "b:B"), Entrypoint.output(done));
  }

  /** Each child run (started by the subgraph node on the other member) takes its own entry of the parent's map. */
  @Test
  void aResumeMapReachesSubgraphRunsStartedOnAnotherMember() throws Exception {
    GraphClient client = GraphClient.create(coordinator, "remote-prompts", 60_000);
    RunOptions thread = new RunOptions().setThreadId("across-prompts");
    RunResult first = await(client.run(Map.of("prompts", List.of("a", "b")), thread));
    assertEquals(RunStatus.INTERRUPTED, first.status());
    Map<String, Object> answers = new LinkedHashMap<>();
    first.interrupts().forEach(i -> answers.put((String) i.get("id"), "input " + i.get("value")));
    assertEquals(2, answers.size(), "an id of its own for each Send's child");
    RunResult done = await(client.run(Command.resume(answers), thread));
    assertEquals(RunStatus.SUCCESS, done.status());
    assertEquals(List.of("input a", "input b"), done.values().get("human_inputs"));
  }
}
