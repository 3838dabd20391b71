package io.graphloop.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python SDK's client methods no other test drives, run with LangGraph's real Python SDK by
 * {@code src/test/python/sdk_coverage.py}: {@code runs.create_batch}, {@code runs.cancel_many}, and the methods serve
 * does not implement ({@code threads.prune}, {@code threads.stream}, {@code crons.*}), each a 501 with LangGraph's
 * {@code {"detail"}} naming what is not supported. Skipped without a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkCoverageTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  @Test
  void theSdkMethodsNoOtherTestDrivesWorkOrFailClearly() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_coverage.py", server.base, 150);
    for (String method : List.of("runs.create_batch", "runs.cancel_many", "threads.prune", "threads.stream",
        "crons.create", "crons.create_for_thread", "crons.search", "crons.count", "crons.update", "crons.delete")) {
      assertTrue(result.output().contains("ok " + method + "\n"), method + ": " + result.output());
    }
    assertTrue(result.output().contains("ok coverage\n"), result.output());
  }
}
