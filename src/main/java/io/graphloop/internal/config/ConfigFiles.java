package io.graphloop.internal.config;

import io.graphloop.errors.MissingDependencyException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a configuration file, JSON or YAML by its name ({@code .yaml}/{@code .yml}: YAML, anything else: JSON), with
 * vertx-config (its {@code file} store; YAML through {@code io.vertx:vertx-config-yaml}). Both hold the same tree:
 * a JSON object, or a YAML mapping at the top. A file that is missing, not parseable, or not an object/mapping at the
 * top fails with an {@link IllegalArgumentException} naming the file, the format and, for a syntax error, the
 * parser's line and column.
 *
 * <p>Stateless and thread-safe. Reading waits (at most {@value #READ_TIMEOUT_SECONDS} s) for vertx-config: call it
 * from a plain thread (a command line's main thread), never an event loop, which it refuses.
 */
public final class ConfigFiles {

  /** How long a read may take before it fails. */
  public static final long READ_TIMEOUT_SECONDS = 30;
  /** The class of vertx-config-yaml that reads YAML, looked for before a YAML file is read. */
  static final String YAML_PROCESSOR = "io.vertx.config.yaml.YamlProcessor";
  /** The artifact that reads YAML. */
  public static final String YAML_ARTIFACT = "io.vertx:vertx-config-yaml";

  private ConfigFiles() {
  }

  /** {@code "yaml"} for a file named {@code *.yaml} or {@code *.yml} (any case), else {@code "json"}. */
  public static String format(Path file) {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : "json";
  }

  /** Reads {@code file} on a private Vert.x instance, closed before returning; see {@link #read(Vertx, Path)}. */
  public static JsonObject read(Path file) {
    requireFile(file);
    Vertx vertx = Vertx.vertx();
    try {
      return read(vertx, file);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
  }

  /**
   * Reads {@code file} as {@link #format} says.
   *
   * @throws IllegalArgumentException when the file is missing, not valid JSON/YAML, or not an object at the top
   * @throws MissingDependencyException for a YAML file without {@value #YAML_ARTIFACT} on the classpath
   * @throws IllegalStateException on an event loop, or when the read takes longer than {@value #READ_TIMEOUT_SECONDS} s
   */
  public static JsonObject read(Vertx vertx, Path file) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("ConfigFiles.read waits for the file; call it from a plain thread, not the "
          + "event loop " + Thread.currentThread().getName() + ".");
    }
    requireFile(file);
    String format = format(file);
    if (format.equals("yaml")) {
      MissingDependencyException.require(YAML_PROCESSOR, YAML_ARTIFACT, "Reading the YAML configuration file " + file);
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("file").setFormat(format)
            .setConfig(new JsonObject().put("path", file.toString()))));
    try {
      return retriever.getConfig().toCompletionStage().toCompletableFuture().get(READ_TIMEOUT_SECONDS,
          TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException("Configuration file " + file + " is not valid " + format.toUpperCase(Locale.ROOT)
          + " (it must hold " + (format.equals("yaml") ? "a YAML mapping at the top, e.g. 'runtime:' with the runtime "
          + "options indented under it" : "a JSON object, e.g. {\"runtime\": {...}}") + "): " + reason(e.getCause()),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Could not read configuration file " + file + " within " + READ_TIMEOUT_SECONDS
          + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading configuration file " + file + ".");
    } finally {
      retriever.close();
    }
  }

  private static void requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot read configuration file " + file + ": no such file.");
    }
  }

  /** The failure's own words and those of its causes ("Failed to decode YAML" alone says little). */
  private static String reason(Throwable failure) {
    StringBuilder reason = new StringBuilder();
    for (Throwable cause = failure; cause != null && reason.length() < 2000; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
      if (reason.indexOf(message) < 0) {
        reason.append(reason.length() == 0 ? "" : ": ").append(message);
      }
    }
    return reason.toString();
  }
}
