package io.graphloop.studio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code serve --port 0} from the fat jar in a child JVM, as a user starts it with their own graphs on the classpath
 * (here {@link StudioGraphs} next to the example graphs): waits (bounded) for its
 * {@code server ready http://127.0.0.1:PORT} line and knows its address; {@link #close} stops it.
 *
 * <p>Used from the test thread; a daemon thread drains the child's output.
 */
final class ServeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("server ready (http://127\\.0\\.0\\.1:\\d+)");
  private static final long READY_SECONDS = 90;

  private final Process process;
  private final String url;
  private final StringBuffer output = new StringBuffer();

  ServeProcess(String... extraArgs) throws IOException, InterruptedException {
    this(java.util.Map.of(), extraArgs);
  }

  /** With {@code environment} added to the child's (e.g. {@code OPENAI_BASE_URL} for the {@code agent} graph). */
  ServeProcess(java.util.Map<String, String> environment, String... extraArgs) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("graphloop.jar", "target/graphloop.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("The fat jar " + jar + " is missing; run 'mvn package' (or 'mvn verify') first.");
    }
    // The jar as a user runs it, with the tests' own graphs (StudioGraphs) added as a user adds theirs: a
    // GraphProvider service on the classpath.
    String classpath = String.join(java.io.File.pathSeparator, jar.toString(), "target/test-classes/studio-graphs",
        "target/test-classes");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
        "io.graphloop.cli.Main", "serve", "--host", "127.0.0.1", "--port", "0"));
    command.addAll(java.util.List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    process = builder.start();
    Process child = process;
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "studio-serve-kill"));
    BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.append(line).append('\n');
          Matcher matcher = READY.matcher(line);
          if (matcher.find()) {
            ready.offer(matcher.group(1));
          }
        }
      } catch (IOException e) {
        output.append("[output closed: ").append(e).append("]\n");
      }
    }, "serve-output");
    drain.setDaemon(true);
    drain.start();
    String found = ready.poll(READY_SECONDS, TimeUnit.SECONDS);
    if (found == null) {
      process.destroyForcibly();
      throw new IllegalStateException("serve did not print 'server ready' within " + READY_SECONDS + " s: " + output);
    }
    url = found;
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  String output() {
    return output.toString();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
