package io.graphloop.server;

import io.graphloop.cluster.GraphProvider;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The graphs the SDK tests drive, both in the in-JVM {@link ServerFixture} and in a {@code serve} process started from
 * the jar ({@code JsSdkServeIT}: this provider is listed in {@code src/test/resources/sdk-graphs/META-INF/services},
 * a directory put on that process's classpath only, so the unit tests' catalog does not see these names).
 *
 * <ul>
 *   <li>{@code echo}: {@code START -> echo -> END}, writes {@code out = in + "!"};</li>
 *   <li>{@code slow}: {@code START -> first -> second -> END}, each waiting {@code delayMs} (default 300) on a timer,
 *       emitting a custom event {@code {"progress": name}} and appending its name to {@code trail};</li>
 *   <li>{@code hitl}: {@code draft -> approve (interrupt) -> publish};</li>
 *   <li>{@code boom}: a node that throws "node exploded";</li>
 *   <li>{@code nested}: {@code START -> prepare -> inner -> END}, {@code inner} a subgraph
 *       {@code step1 -> step2} over the same keys ({@code prepare} writes {@code a = in + ">"}, {@code step1}
 *       {@code a = a + "1"}, {@code step2} {@code out = a + "2"}).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; every call compiles a new graph.
 */
public final class SdkGraphs implements GraphProvider {

  private static final Set<String> NAMES = Set.of("echo", "slow", "hitl", "boom", "nested");

  @Override
  public Set<String> names() {
    return NAMES;
  }

  @Override
  public CompiledGraph graph(String name) {
    switch (name) {
      case "echo":
        return echo();
      case "slow":
        return slow();
      case "hitl":
        return hitl();
      case "boom":
        return boom();
      case "nested":
        return nested();
      default:
        throw new IllegalArgumentException("SdkGraphs has no graph '" + name + "'; it has " + new TreeSet<>(NAMES));
    }
  }

  static CompiledGraph echo() {
    return new StateGraph("echo")
        .addNode("echo", state -> Future.succeededFuture(Map.of("out", state.getString("in") + "!")))
        .addEdge(START, "echo").addEdge("echo", END).compile();
  }

  static CompiledGraph slow() {
    StateGraph graph = new StateGraph("slow").channel("trail", Channels.append());
    for (String name : List.of("first", "second")) {
      graph.addNode(name, (state, ctx) -> {
        Integer delay = state.getInteger("delayMs");
        Promise<Map<String, Object>> done = Promise.promise();
        ctx.emit(Map.of("progress", name));
        ctx.vertx().setTimer(delay == null ? 300 : Math.max(1, delay),
            id -> done.complete(Map.of("trail", List.of(name))));
        return done.future();
      });
    }
    return graph.addEdge(START, "first").addEdge("first", "second").addEdge("second", END).compile();
  }

  static CompiledGraph hitl() {
    return new StateGraph("hitl")
        .addNode("draft", state -> Future.succeededFuture(Map.of("text", "Draft about " + state.getString("topic"))))
        .addNode("approve", (state, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt(Map.of("question", "Publish it?")))))
        .addNode("publish", state -> Future.succeededFuture(Map.of("published", "yes".equals(state.getString("answer")))))
        .addEdge(START, "draft").addEdge("draft", "approve").addEdge("approve", "publish").addEdge("publish", END)
        .compile();
  }

  static CompiledGraph boom() {
    return new StateGraph("boom")
        .addNode("explode", state -> {
          throw new IllegalStateException("node exploded");
        })
        .addEdge(START, "explode").addEdge("explode", END).compile();
  }

  static CompiledGraph nested() {
    CompiledGraph inner = new StateGraph("inner")
        .addNode("step1", state -> Future.succeededFuture(Map.of("a", state.getString("a") + "1")))
        .addNode("step2", state -> Future.succeededFuture(Map.of("out", state.getString("a") + "2")))
        .addEdge(START, "step1").addEdge("step1", "step2").addEdge("step2", END).compile();
    return new StateGraph("nested").channel("in", Channels.lastValue()).channel("a", Channels.lastValue())
        .channel("out", Channels.lastValue())
        .addNode("prepare", state -> Future.succeededFuture(Map.of("a", state.getString("in") + ">")))
        .addSubgraph("inner", inner)
        .addEdge(START, "prepare").addEdge("prepare", "inner").addEdge("inner", END).compile();
  }
}
