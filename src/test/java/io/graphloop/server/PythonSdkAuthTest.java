package io.graphloop.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auth refusals as LangGraph's real Python SDK sees them: {@code src/test/python/sdk_auth.py} checks that a call
 * without a key or with a wrong one raises the SDK's {@code AuthenticationError} (401) with the server's detail, and
 * that another user's thread, state, history, runs and join raise {@code NotFoundError} (404). Skipped without a
 * Python with {@code langgraph_sdk} (see {@link PythonSdkTest#python()}) unless {@code GRAPHLOOP_REQUIRE_SDKS=1}.
 */
class PythonSdkAuthTest {

  private static final String KEY_A = "sdk-key-a";
  private static final String KEY_B = "sdk-key-b";

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions().setApiKeys(List.of(KEY_A, KEY_B)));

  @Test
  void refusalsAndOwnershipThroughThePythonSdk() {
    Path script = Path.of("src/test/python/sdk_auth.py").toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(PythonSdkTest.python(), script.toString(), server.base, KEY_A,
        KEY_B), Path.of("."), 120);
    assertEquals(0, result.exit(), result.output());
    for (String flow : List.of("refusals", "ownership")) {
      assertTrue(result.output().contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n" + result.output());
    }
  }
}
