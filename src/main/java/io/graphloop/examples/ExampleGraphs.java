package io.graphloop.examples;

import io.graphloop.cluster.GraphProvider;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The example graphs, by name, for {@code graphloop member --graphs ...} and {@code graphloop run --graph ...}: a
 * {@link GraphProvider} the command line adds to its catalog ({@code GraphCatalog.load(List.of(new ExampleGraphs()))});
 * it is not a service registration of the library, so applications that depend on Graphloop do not see these names.
 *
 * <ul>
 *   <li>{@code seed}: the seed demo, {@code start -> (llm, db) -> END}, 2 s of non-blocking latency per call
 *       ({@link SeedGraph}); input {@code {"query": "..."}}.</li>
 *   <li>{@code seed-fast}: the same graph without latency (the throughput benchmark's).</li>
 *   <li>{@code chain}: {@value #CHAIN_LENGTH} trivial steps {@code n0 -> ... -> n99}, each adding 1 to {@code count}
 *       (the per-step-cost benchmark's); input {@code {"count": 0}} ends with {@code count} 100.</li>
 *   <li>{@code failover}: two slow steps with a timeout and a retry policy, tracing which member ran them
 *       ({@link FailoverGraph}); input {@code {"x": 20}} ends with {@code result} 41.</li>
 *   <li>{@code map-reduce}: the README's map-reduce example ({@link MapReduce}); input {@code {"text": "..."}}.</li>
 *   <li>{@code crash}: eight sequential slow steps {@code s1 .. s8} that log each execution ({@link CrashDemo}), to
 *       kill and resume on a thread; input {@code {"trail": [], "delayMs": 250}}.</li>
 *   <li>{@code approval}: the README's human-in-the-loop example ({@link Approval}): it stops at an interrupt and
 *       waits for a resume on its thread; input {@code {"version": "1.0"}}.</li>
 *   <li>{@code chat}: the README's streaming example ({@link StreamingExample}): a node that emits custom events
 *       (tokens) as it runs.</li>
 *   <li>{@code agent}: the README's agent ({@link AgentExample}): a ReAct agent with tools {@code add} and
 *       {@code multiply} on the OpenAI-compatible model named by {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and
 *       {@code GRAPHLOOP_MODEL}; input {@code {"messages": [{"type": "human", "content": "What is 6 times 7?"}]}}.</li>
 *   <li>{@code research}: the seed made real ({@link ResearchExample}): {@code llm} asks the same model while
 *       {@code db} searches the deployment's long-term store, in parallel; input {@code {"query": "..."}}.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; every call compiles a new (immutable) graph.
 */
public final class ExampleGraphs implements GraphProvider {

  /** Steps of the {@code chain} graph. */
  public static final int CHAIN_LENGTH = 100;

  private static final Set<String> NAMES = Set.of("seed", "seed-fast", "chain", "failover", "map-reduce",
      "crash", "approval", "chat", AgentExample.NAME, ResearchExample.NAME);

  @Override
  public Set<String> names() {
    return NAMES;
  }

  @Override
  public CompiledGraph graph(String name) {
    switch (name) {
      case "seed":
        return SeedGraph.build("seed", 2_000);
      case "seed-fast":
        return SeedGraph.build("seed-fast", 0);
      case "chain":
        return chain("chain", CHAIN_LENGTH);
      case "failover":
        return FailoverGraph.build("failover");
      case "map-reduce":
        return MapReduce.graph();
      case "crash":
        return CrashDemo.fromEnvironment();
      case "approval":
        return Approval.graph();
      case "chat":
        return StreamingExample.graph();
      case AgentExample.NAME:
        return AgentExample.fromEnvironment();
      case ResearchExample.NAME:
        return ResearchExample.fromEnvironment();
      default:
        throw new IllegalArgumentException("ExampleGraphs has no graph '" + name + "'; it has " + new TreeSet<>(NAMES));
    }
  }

  /** {@code START -> n0 -> ... -> n(length-1) -> END}; each node adds 1 to {@code count} (absent: 0). */
  public static CompiledGraph chain(String name, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a chain needs at least 1 node, was " + length);
    }
    StateGraph graph = new StateGraph(name);
    for (int i = 0; i < length; i++) {
      graph.addNode("n" + i, state -> {
        Integer count = state.getInteger("count");
        return Future.succeededFuture(Map.of("count", count == null ? 1 : count + 1));
      });
      graph.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
    }
    return graph.addEdge("n" + (length - 1), END).compile();
  }
}
