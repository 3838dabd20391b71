package io.graphloop.server;

import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.CompiledGraph;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The functional API over HTTP with LangGraph's real Python SDK: {@code src/test/python/sdk_functional.py} streams an
 * entrypoint whose two concurrent task calls both interrupt, reads the thread's state, answers the reported interrupt
 * by its id ({@code Command(resume={id: value})}), then the next one with a plain value, and reads the history
 * (LangGraph's steps: input -1, loop 0). Skipped without a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkFunctionalTest {


  /** {@code review}: draft, then two calls of {@code ask} at once ("a" asks 200 ms after "b"). */
  static CompiledGraph review() {
    Task<String, String> draft = Task.of("draft", (topic, ctx) -> Future.succeededFuture("essay on " + topic));
    Task<String, String> ask = Task.of("ask", (q, ctx) -> {
      Promise<String> asked = Promise.promise();
      ctx.vertx().setTimer(q.equals("a") ? 200 : 1, id -> {
        try {
          asked.complete(q + ":" + ctx.interrupt(q));
        } catch (RuntimeException e) {
          asked.fail(e);
        }
      });
      return asked.future();
    });
    return Entrypoint.<Map<String, Object>, Object>of("review", (input, ctx) ->
        ctx.call(draft, (String) input.get("topic")).compose(essay -> {
          Future<String> a = ctx.call(ask, "a");
          Future<String> b = ctx.call(ask, "b");
          return a.compose(x -> b.map(y -> Map.of("essay", essay, "answers", List.of(x, y))));
        })).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(review()));

  @Test
  void anEntrypointIsDrivenByThePythonSdk() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_functional.py", server.base, 120);
    assertTrue(result.output().contains("ok functional\n"), result.output());
  }
}
