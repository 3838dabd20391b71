package io.graphloop.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's real JS SDK ({@code @langchain/langgraph-sdk} 1.15.0, pinned by {@code src/test/node/package-lock.json}
 * and installed from npm with {@code npm ci} when missing) against the server over HTTP on 127.0.0.1: the script
 * {@code src/test/node/sdk_flows.mjs} runs the same flows as {@link PythonSdkTest} through {@code Client}. Without
 * {@code node}/{@code npm} the test is skipped unless {@code GRAPHLOOP_REQUIRE_SDKS=1} ({@code .ci/run} installs
 * them and sets it).
 */
class JsSdkTest {

  static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  /** Checks node and npm, installs the pinned SDK when {@code node_modules} lacks it; returns the node command. */
  static String node() {
    SdkProcess.Result version;
    try {
      version = SdkProcess.run(List.of("node", "--version"), NODE_DIR, 60);
    } catch (IllegalStateException e) {
      SdkProcess.unavailable("node is not installed: " + e.getMessage());
      return null;
    }
    if (version.exit() != 0) {
      SdkProcess.unavailable("node --version failed: " + version.output());
    }
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@langchain/langgraph-sdk"))) {
      SdkProcess.Result install;
      try {
        install = SdkProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_DIR, 600);
      } catch (IllegalStateException e) {
        SdkProcess.unavailable("npm is not installed: " + e.getMessage());
        return null;
      }
      assertEquals(0, install.exit(), "npm ci in " + NODE_DIR + " failed:\n" + install.output());
    }
    return "node";
  }

  @Test
  void everyFlowWorksThroughTheJsSdk() {
    SdkProcess.Result result = SdkProcess.run(List.of(node(), "sdk_flows.mjs", server.base), NODE_DIR, 240);
    assertEquals(0, result.exit(), result.output());
    for (String flow : List.of("assistants", "threads", "streams", "background", "interrupts", "timetravel",
        "multitask", "store", "reconnect",
        "errors")) {
      assertTrue(result.output().contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n" + result.output());
    }
  }
}
