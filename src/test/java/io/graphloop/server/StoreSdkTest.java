package io.graphloop.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code /store/*} endpoints driven by LangGraph's real Python SDK ({@code src/test/python/sdk_store.py}):
 * put/get/search (prefix, filter, paging)/list namespaces/delete in LangGraph's shapes, clear 422s, and with API keys
 * each user's items kept apart. Skipped without a Python that has {@code langgraph_sdk} unless
 * {@code GRAPHLOOP_REQUIRE_SDKS=1} (see {@link PythonSdkTest#python()}).
 */
class StoreSdkTest {

  private static final Path SCRIPT = Path.of("src/test/python/sdk_store.py").toAbsolutePath();

  @Test
  void theStoreWorksThroughThePythonSdk() {
    String python = PythonSdkTest.python();
    try (ServerFixture server = ServerFixture.start()) {
      SdkProcess.Result result = SdkProcess.run(List.of(python, SCRIPT.toString(), server.base), Path.of("."), 120);
      assertEquals(0, result.exit(), result.output());
      assertTrue(result.output().contains("ok items\n") && result.output().contains("ok errors\n"), result.output());
    }
  }

  @Test
  void eachUserSeesOnlyTheirOwnItems() {
    String python = PythonSdkTest.python();
    try (ServerFixture server = ServerFixture.start(new ServerOptions().setApiKeys(List.of("key-a", "key-b")))) {
      SdkProcess.Result result = SdkProcess.run(List.of(python, SCRIPT.toString(), server.base, "key-a", "key-b"),
          Path.of("."), 120);
      assertEquals(0, result.exit(), result.output());
      assertTrue(result.output().contains("ok owners\n"), result.output());
    }
  }
}
