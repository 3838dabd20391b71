package io.graphloop.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code serve} from the fat jar in a child JVM, as a user runs it with their own graphs on the classpath:
 * {@code java -cp target/graphloop.jar:<graphs> io.graphloop.cli.Main serve --host 127.0.0.1 --port 0 --graphs ...},
 * the graphs being {@link SdkGraphs} (its service file lives in {@code target/test-classes/sdk-graphs}). Waits
 * (bounded) for the {@code server ready http://127.0.0.1:PORT} line; {@link #close} stops the process.
 *
 * <p>Used from the test thread; a daemon thread drains the child's output. A JVM shutdown hook kills the child if the
 * test JVM ends first.
 */
final class ServeJar implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("server ready (http://127\\.0\\.0\\.1:\\d+)");
  private static final long READY_SECONDS = 90;

  private final Process process;
  private final String url;
  private final StringBuffer output = new StringBuffer();

  ServeJar(String graphs, String... extraArgs) throws IOException, InterruptedException {
    this(java.util.Map.of(), graphs, extraArgs);
  }

  /** As {@link #ServeJar(String, String...)}, with {@code environment} added to the child's environment. */
  ServeJar(java.util.Map<String, String> environment, String graphs, String... extraArgs)
      throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path jar = Path.of(System.getProperty("graphloop.jar", base.resolve("target/graphloop.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("The fat jar " + jar + " is missing; run 'mvn package' (or 'mvn verify') first.");
    }
    String classpath = String.join(File.pathSeparator, jar.toString(),
        base.resolve("target/test-classes/sdk-graphs").toString(), base.resolve("target/test-classes").toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classpath, "io.graphloop.cli.Main", "serve", "--host", "127.0.0.1", "--port", "0",
        "--graphs", graphs));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    process = builder.start();
    Process child = process;
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "serve-jar-kill"));
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
    }, "serve-jar-output");
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

  /** Everything the process printed so far. */
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
