package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subgraph's own state read, updated and listed through LangGraph's real Python SDK
 * ({@code src/test/python/sdk_subgraph_state.py}): {@code get_state(checkpoint=child)}, {@code update_state(...,
 * checkpoint=child)} and {@code get_history(checkpoint=child)} send the child's {@code checkpoint_ns}, which the
 * server passes to the graph (test_weather_subgraph's thread of LangGraph 1.2.12, {@code subgraph_update_state.py}).
 * Skipped without a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkSubgraphStateTest {

  static CompiledGraph weather() {
    CompiledGraph child = new StateGraph("sdk-weather-child").channel("messages", Channels.messages())
        .channel("city", Channels.lastValue()).strictChannels()
        .addNode("model_node", s -> Future.succeededFuture(Map.of("city", "San Francisco")))
        .addNode("weather_node", s -> Future.succeededFuture(Map.of("messages", List.of(Map.of("role", "assistant",
            "content", "I'ts sunny in " + s.getString("city") + "!", "id", "w1")))))
        .addEdge(START, "model_node").addEdge("model_node", "weather_node").addEdge("weather_node", END)
        .interruptBefore("weather_node").compile();
    return new StateGraph("sdk-weather").channel("messages", Channels.messages())
        .channel("route", Channels.lastValue()).strictChannels()
        .addNode("router_node", s -> Future.succeededFuture(Map.of("route", "weather")))
        .addSubgraph("weather_graph", child)
        .addEdge(START, "router_node").addEdge("router_node", "weather_graph").addEdge("weather_graph", END)
        .compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(weather()));

  @Test
  void aSubgraphsStateIsReadUpdatedAndListedByItsCheckpointNamespace() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_subgraph_state.py", server.base, 120);
    assertTrue(result.output().contains("ok subgraph state\n"), result.output());
  }
}
