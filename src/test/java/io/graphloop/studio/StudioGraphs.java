package io.graphloop.studio;

import io.graphloop.cluster.GraphProvider;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Append;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The studio tests' own graphs, served by {@code serve} next to the example graphs (the service file lives in
 * {@code target/test-classes/studio-graphs}, put on the child JVM's classpath by {@link ServeProcess}):
 * <ul>
 *   <li>{@code guarded}: {@code START -> fetch -> check -> END}; {@code fetch} has a timeout, a retry policy and a
 *       bulkhead (the options the page shows on a click); {@code check} fails when the input says
 *       {@code "fail": true}, else writes {@code checked}.</li>
 *   <li>{@code nested}: {@code START -> prepare -> inner -> finish -> END}, {@code inner} a subgraph
 *       {@code START -> plan -> act -> END} (drawn as one node, or as its inner nodes with xray).</li>
 *   <li>{@code profile}: a typed graph over {@link Profile} ({@code START -> greet -> END}), whose input schema
 *       has a string, a number, a list, an enum and a nested record for the run form to prefill.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; every call compiles a new graph.
 */
public final class StudioGraphs implements GraphProvider {

  /** What the failing node says. */
  public static final String FAILURE = "check refused the order: the input asked to fail";

  @Override
  public Set<String> names() {
    return Set.of("guarded", "nested", "profile");
  }

  @Override
  public CompiledGraph graph(String name) {
    switch (name) {
      case "guarded":
        return guarded();
      case "nested":
        return nested();
      case "profile":
        return profile();
      default:
        throw new IllegalArgumentException("StudioGraphs has no graph '" + name + "'; it has guarded, nested, profile");
    }
  }

  /** {@code fetch} (timeout 5000 ms, 3 attempts, at most 4 at once with 50 queued) then {@code check}. */
  public static CompiledGraph guarded() {
    NodeOptions fetchOptions = new NodeOptions().setTimeoutMs(5_000)
        .setRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(10).jitterMs(0).build())
        .setMaxConcurrency(4).setMaxQueued(50);
    return new StateGraph("guarded")
        .addNode("fetch", (state, ctx) -> Future.succeededFuture(Map.of("fetched", "order of " + state.getString("who"))),
            fetchOptions)
        .addNode("check", state -> {
          if (Boolean.TRUE.equals(state.getBoolean("fail"))) {
            return Future.failedFuture(new IllegalStateException(FAILURE));
          }
          return Future.succeededFuture(Map.of("checked", true));
        })
        .addEdge(START, "fetch").addEdge("fetch", "check").addEdge("check", END)
        .compile();
  }

  /** A parent graph with a two-node subgraph {@code inner}. */
  public static CompiledGraph nested() {
    CompiledGraph inner = new StateGraph("inner")
        .addNode("plan", state -> Future.succeededFuture(Map.of("plan", "plan for " + state.getString("task"))))
        .addNode("act", state -> Future.succeededFuture(Map.of("done", state.getString("plan") + ", done")))
        .addEdge(START, "plan").addEdge("plan", "act").addEdge("act", END)
        .compile();
    return new StateGraph("nested")
        .addNode("prepare", state -> Future.succeededFuture(Map.of("task", "task " + state.getString("what"))))
        .addSubgraph("inner", inner)
        .addNode("finish", state -> Future.succeededFuture(Map.of("result", "finished " + state.getString("task"))))
        .addEdge(START, "prepare").addEdge("prepare", "inner").addEdge("inner", "finish").addEdge("finish", END)
        .compile();
  }

  /** A level of {@link Profile}. */
  public enum Level { JUNIOR, SENIOR }

  /** {@link Profile}'s nested record. */
  public record Address(String city, Integer zip) {
  }

  /** The {@code profile} graph's state. */
  public record Profile(String name, Integer age, @Append List<String> tags, Level level, Address address,
                        String greeting) {
  }

  /** {@code greet} writes {@code greeting} from the name and city. */
  public static CompiledGraph profile() {
    return StateGraph.typed("profile", Profile.class)
        .addNode("greet", state -> Future.succeededFuture(new Profile(null, null, null, null, null,
            "Hello " + state.name() + (state.address() == null ? "" : " from " + state.address().city()))))
        .addEdge(START, "greet").addEdge("greet", END)
        .compile();
  }
}
