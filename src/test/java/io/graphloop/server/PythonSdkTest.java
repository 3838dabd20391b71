package io.graphloop.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's real Python SDK ({@code langgraph_sdk} 0.4.5) against the server over HTTP on 127.0.0.1: the script
 * {@code src/test/python/sdk_flows.py} runs assistants search/get/graph, threads create/get/search/state/history/
 * update state and state at a checkpoint, runs wait/stream (values, updates, debug, v2 parts)/create/join/list/
 * cancel, an interrupt resumed with {@code Command(resume=...)}, join-stream reconnection with {@code Last-Event-ID},
 * and errors (404, an {@code error} event). The Python interpreter is {@code GRAPHLOOP_SDK_PYTHON}, else
 * {@code /work/venv-lg/bin/python}; without one (or without the SDK in it) the test is skipped unless
 * {@code GRAPHLOOP_REQUIRE_SDKS=1}.
 */
class PythonSdkTest {

  /** The flows of {@code sdk_flows.py}, each printing {@code ok <flow>} when it passed. */
  static final List<String> FLOWS = List.of("assistants", "threads", "streams", "background", "interrupts",
      "timetravel", "multitask", "store", "reconnect", "errors", "sync");

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  /**
   * Runs {@code src/test/python/<script>} with {@link #python()} against the server at {@code base} (at most
   * {@code seconds}) and asserts it exited 0 (its output is the failure's message); returns its result.
   */
  static SdkProcess.Result runScript(String script, String base, int seconds) {
    Path path = Path.of("src/test/python", script).toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(python(), path.toString(), base), Path.of("."), seconds);
    assertEquals(0, result.exit(), result.output());
    return result;
  }

  static String python() {
    String configured = System.getenv("GRAPHLOOP_SDK_PYTHON");
    String python = configured != null ? configured : "/work/venv-lg/bin/python";
    if (!Files.isExecutable(Path.of(python))) {
      SdkProcess.unavailable("No Python with langgraph_sdk at " + python + " (set GRAPHLOOP_SDK_PYTHON)");
    }
    SdkProcess.Result probe = SdkProcess.run(List.of(python, "-c", "import langgraph_sdk"), Path.of("."), 60);
    if (probe.exit() != 0) {
      SdkProcess.unavailable(python + " cannot import langgraph_sdk: " + probe.output());
    }
    return python;
  }

  @Test
  void everyFlowWorksThroughThePythonSdk() {
    Path script = Path.of("src/test/python/sdk_flows.py").toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(python(), script.toString(), server.base), Path.of("."), 240);
    assertEquals(0, result.exit(), result.output());
    for (String flow : FLOWS) {
      assertTrue(result.output().contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n" + result.output());
    }
  }
}
