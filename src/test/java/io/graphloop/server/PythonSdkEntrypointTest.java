package io.graphloop.server;

import io.graphloop.func.Entrypoint;
import io.graphloop.func.Final;
import io.graphloop.func.Task;
import io.graphloop.graph.CompiledGraph;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An entrypoint's graph seen through LangGraph's real Python SDK as LangGraph Server shows one
 * ({@code src/test/python/sdk_entrypoint.py}, expected values from {@code src/test/resources/langgraph/functional_state.py}):
 * bare inputs, outputs and thread values, history and {@code values} chunks of the returned value, {@code update_state}
 * with the value, and a graph kept in the channel form by {@link ServerOptions#setEntrypointChannels}. Skipped without
 * a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkEntrypointTest {

  static CompiledGraph counter(String name) {
    Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> Future.succeededFuture(x + 1));
    return Entrypoint.<Integer, Object>of(name, (n, ctx) -> ctx.call(addOne, n).map(plus -> {
      int total = plus + (ctx.previous() == null ? 0 : ((Number) ctx.previous()).intValue());
      if (n == 99) {
        ctx.interrupt("ok?");
      }
      return Final.of(Map.of("total", total), total);
    })).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions()
      .setEntrypointChannels(List.of("counter-channels")), List.of(counter("counter"), counter("counter-channels"),
      Entrypoint.<Object, Object>of("echo", (x, ctx) -> Future.succeededFuture(x)).compile()));

  @Test
  void anEntrypointIsShownAsLangGraphServerShowsOne() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_entrypoint.py", server.base, 120);
    assertTrue(result.output().contains("ok entrypoint\n"), result.output());
  }
}
