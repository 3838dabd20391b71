package io.graphloop.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A differential test of what LangGraph's Python SDK ({@code langgraph_sdk} 0.4.5) sees: {@code sdk_diff.py}
 * ({@code src/test/resources/sdk-diff}) drives {@code serve} from the jar ({@link ServeJar}) and the JS reference
 * server ({@link ReferenceServer}, {@code langgraph-sdk-diff.json}: the same graphs as {@link SdkGraphs}, with
 * {@code nested}) through the same flows (thread search, copy, history filters, state updates, multitask strategies,
 * runs list/join/cancel, rollback, multi-mode and subgraph streams, breakpoints, commands, forks,
 * {@code if_not_exists}, stateless runs, assistants, error answers), normalizes the answers (generated ids,
 * timestamps) and compares them key by key. Every difference must match an entry of
 * {@code sdk-diff/known-differences.json}, whose reasons {@code src/docs/server-differences.md} explains; an unlisted
 * one fails this test with its path and both values.
 *
 * <p>Skipped without the reference server or a Python with the SDK unless {@code GRAPHLOOP_REQUIRE_REFERENCE=1} /
 * {@code GRAPHLOOP_REQUIRE_SDKS=1}. Runs on the JUnit thread; every wait is bounded.
 */
class SdkDifferentialIT {

  static final List<String> FLOWS = List.of("threads_search", "copy_then_history", "history_filters",
      "update_state_as_node", "multitask", "runs_list_and_join", "cancel_rollback", "stream_modes", "subgraphs",
      "breakpoints", "commands", "fork", "create_and_stateless", "assistants", "errors");

  @Test
  void thePythonSdkSeesWhatItSeesOnTheReferenceServerExceptForTheListedDifferences() throws Exception {
    String python = PythonSdkTest.python();
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/sdk-diff").toAbsolutePath();
    try (ReferenceServer reference = new ReferenceServer("langgraph-sdk-diff.json");
         ServeJar ours = new ServeJar("echo,slow,hitl,boom,nested")) {
      SdkProcess.Result result = SdkProcess.run(List.of(python, "sdk_diff.py", ours.url(), reference.url(),
          "known-differences.json"), dir, 600);
      assertEquals(0, result.exit(), "differences from the reference server not listed in "
          + "sdk-diff/known-differences.json:\n" + result.output() + "\nserve's output:\n" + ours.output());
      for (String flow : FLOWS) {
        assertTrue(result.output().contains("flow " + flow + ": "), "flow " + flow + " did not run:\n"
            + result.output());
      }
      assertTrue(result.output().contains("unlisted differences: 0"), result.output());
    }
  }
}
