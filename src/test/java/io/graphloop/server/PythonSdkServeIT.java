package io.graphloop.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's real Python SDK ({@code langgraph_sdk} 0.4.5, async and sync clients) against {@code serve} started
 * from the fat jar in its own JVM ({@link ServeJar}, a free port on 127.0.0.1), with the graphs of {@link SdkGraphs}:
 * every flow of {@code src/test/python/sdk_flows.py} ({@link PythonSdkTest#FLOWS}). Skipped without a Python that has
 * the SDK unless {@code GRAPHLOOP_REQUIRE_SDKS=1}.
 */
class PythonSdkServeIT {

  private static ServeJar server;

  @BeforeAll
  static void start() throws Exception {
    PythonSdkTest.python(); // skips before starting anything when the SDK is missing
    server = new ServeJar("echo,slow,hitl,boom");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyFlowWorksThroughThePythonSdkAgainstTheJarsServe() {
    Path script = Path.of(System.getProperty("basedir", ".")).resolve("src/test/python/sdk_flows.py")
        .toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(PythonSdkTest.python(), script.toString(), server.url()),
        Path.of("."), 300);
    assertEquals(0, result.exit(), result.output() + "\nserve's output:\n" + server.output());
    for (String flow : PythonSdkTest.FLOWS) {
      assertTrue(result.output().contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n"
          + result.output());
    }
  }
}
