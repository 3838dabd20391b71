package io.graphloop.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance with LangGraph's JS reference server: {@code langgraphjs dev} ({@link ReferenceServer}) serves
 * {@code src/graphs.mjs}, the JS equivalents of {@link SdkGraphs}, on a free port of 127.0.0.1, beside the jar's
 * {@code serve} ({@link ServeJar}); {@code conformance.mjs} sends both the same requests and compares status codes,
 * content types, JSON shapes and SSE event names in order. Every difference must be listed in
 * {@code known-differences.json} (reasons in {@code src/docs/server-differences.md}). Skipped when node or the
 * reference server is not installed, unless {@code GRAPHLOOP_REQUIRE_REFERENCE=1} (CI), which installs it.
 *
 * <p>Runs on the JUnit thread; every wait is bounded; the reference server's process tree is killed at the end.
 */
class ConformanceIT {

  @Test
  void theServerAnswersAsTheReferenceServerDoesExceptForTheListedDifferences() throws Exception {
    try (ReferenceServer reference = new ReferenceServer(null); ServeJar ours = new ServeJar("echo,slow,hitl,boom")) {
      SdkProcess.Result result = SdkProcess.run(List.of("node", "conformance.mjs", ours.url(), reference.url()),
          ReferenceServer.DIR, 600);
      assertEquals(0, result.exit(), "differences from the reference server that are not listed in "
          + "known-differences.json:\n" + result.output());
      assertTrue(result.output().contains("same stream values+updates"), result.output());
    }
  }
}
