package io.graphloop.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's real JS SDK ({@code @langchain/langgraph-sdk} 1.15.0, {@code src/test/node}) against {@code serve}
 * started from the fat jar in its own JVM ({@link ServeJar}, a free port on 127.0.0.1), with the graphs of
 * {@link SdkGraphs}: every flow of {@code sdk_flows.mjs} (see {@link #FLOWS}). Skipped without node/npm unless
 * {@code GRAPHLOOP_REQUIRE_SDKS=1}.
 */
class JsSdkServeIT {

  static final List<String> FLOWS = List.of("assistants", "threads", "streams", "background", "interrupts",
      "timetravel", "multitask", "store", "reconnect", "threadStream", "errors");

  private static ServeJar server;

  @BeforeAll
  static void start() throws Exception {
    JsSdkTest.node(); // skips before starting anything when node is missing
    server = new ServeJar("echo,slow,hitl,boom");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyFlowWorksThroughTheJsSdkAgainstTheJarsServe() {
    SdkProcess.Result result = SdkProcess.run(List.of("node", "sdk_flows.mjs", server.url()), JsSdkTest.NODE_DIR,
        300);
    assertEquals(0, result.exit(), result.output() + "\nserve's output:\n" + server.output());
    for (String flow : FLOWS) {
      assertTrue(result.output().contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n"
          + result.output());
    }
  }
}
