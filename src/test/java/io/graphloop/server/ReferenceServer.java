package io.graphloop.server;

import io.graphloop.support.JsReferenceServer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LangGraph's JS reference server, {@code langgraphjs dev} ({@code @langchain/langgraph-cli} and {@code -api} 1.5.1,
 * pinned by {@code src/test/reference/package-lock.json}), started by {@link JsReferenceServer} in
 * {@code src/test/reference} with one of its configurations ({@code langgraph.json} unless named). When it is not
 * installed the test is skipped, unless {@code GRAPHLOOP_REQUIRE_REFERENCE=1} (CI), which installs it with
 * {@code npm ci}. {@link #close} stops its process tree.
 *
 * <p>Used from the test thread; every wait is bounded ({@link JsReferenceServer#READY_SECONDS} for {@code GET /ok},
 * {@link JsReferenceServer#STOP_SECONDS} to stop, 900 s for {@code npm ci}).
 */
final class ReferenceServer implements AutoCloseable {

  static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/reference").toAbsolutePath();
  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_REFERENCE";

  private final JsReferenceServer server;

  /** Starts the reference server with {@code config} (a file of {@link #DIR}, or null for its default). */
  ReferenceServer(String config) throws Exception {
    if (!Files.isExecutable(JsReferenceServer.cli(DIR))) {
      if (!"1".equals(System.getenv(REQUIRE_ENV))) {
        Assumptions.abort("The reference server is not installed (run 'npm ci' in " + DIR + ", or set " + REQUIRE_ENV
            + "=1)");
      }
      SdkProcess.Result install = SdkProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), DIR, 900);
      assertEquals(0, install.exit(), "npm ci in " + DIR + " failed:\n" + install.output());
    }
    server = JsReferenceServer.start(DIR, config);
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return server.url();
  }

  /** What the server printed so far. */
  String output() {
    return server.output();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
  }
}
