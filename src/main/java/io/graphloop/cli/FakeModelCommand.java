package io.graphloop.cli;

import io.graphloop.agents.FakeChatServer;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code graphloop fake-model [--port N] [--first-token-delay-ms N] [--token-delay-ms N]}: starts
 * {@link FakeChatServer} on 127.0.0.1, a scripted stand-in for an LLM speaking OpenAI's chat completions API (streamed
 * tokens, streamed tool calls), so that the {@code agent} example graph runs without a model:
 * {@code OPENAI_BASE_URL=http://127.0.0.1:8000/v1 graphloop serve --graphs agent}. It answers arithmetic questions
 * with a call to the {@code add} or {@code multiply} tool, a tool's result with {@code "The answer is <result>."}, and
 * anything else with {@code "You said: <text>"}. Not a model; for examples, tests and benchmarks.
 *
 * <p>Prints {@code fake model ready http://127.0.0.1:PORT/v1} and runs until stopped. Runs on the CLI's main thread,
 * which waits; the server runs on its own Vert.x.
 */
@Command(name = "fake-model", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Starts a scripted stand-in for an LLM on 127.0.0.1 speaking OpenAI's chat completions API "
        + "(streaming, tool calls), for the agent example without a model; prints 'fake model ready URL' and runs "
        + "until stopped.",
        "Exit status: 0 stopped, 1 it could not start (port taken), 2 bad arguments."})
final class FakeModelCommand implements Callable<Integer> {

  /** The longest delay accepted, in ms. */
  static final long MAX_DELAY_MS = 60_000;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
      description = "the port (default 8000; 0 picks a free one, printed in the ready line)")
  int port;

  @Option(names = "--first-token-delay-ms", paramLabel = "MS", defaultValue = "0",
      description = "wait before an answer's first token (default 0)")
  long firstTokenDelayMs;

  @Option(names = "--token-delay-ms", paramLabel = "MS", defaultValue = "0",
      description = "wait between streamed tokens (default 0)")
  long tokenDelayMs;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    try {
      Cli.inRange("--port", port, 0, 65_535);
      Cli.inRange("--first-token-delay-ms", firstTokenDelayMs, 0, MAX_DELAY_MS);
      Cli.inRange("--token-delay-ms", tokenDelayMs, 0, MAX_DELAY_MS);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return Cli.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    FakeChatServer server;
    try {
      server = Cli.await(FakeChatServer.start(vertx, port), 30, "start the fake model on port " + port);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("fake-model failed: " + e.getMessage());
      Cli.await(vertx.close(), 30, "close Vert.x");
      return Cli.FAILED;
    }
    server.responderDelays(firstTokenDelayMs, tokenDelayMs);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Cli.await(vertx.close(), 30, "close Vert.x");
      stopped.countDown();
    }, "graphloop-fake-model-shutdown"));
    spec.commandLine().getOut().println("fake model ready " + server.baseUrl());
    spec.commandLine().getOut().flush();
    stopped.await();
    return Cli.OK;
  }
}
