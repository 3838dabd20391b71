package io.graphloop.cli;

import io.graphloop.internal.config.ConfigFiles;
import io.graphloop.ops.OpsOptions;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The command line's configuration, read with vertx-config from three sources, each overriding the one before:
 * <ol>
 *   <li>the file, JSON or YAML ({@code --conf FILE}, YAML when named {@code *.yaml}/{@code *.yml}; without it
 *       whichever of {@code conf/graphloop.json}, {@code conf/graphloop.yaml}, {@code conf/graphloop.yml} exists, and
 *       an error when more than one does): its {@code runtime} object (mapping) holds {@link GraphRuntimeOptions}, its {@code ops}
 *       object the {@link OpsOptions} (metrics, operations port, drain timeout);</li>
 *   <li>environment variables: key {@code runtime.nodeTimeoutMs} is {@code GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS};</li>
 *   <li>system properties: key {@code runtime.nodeTimeoutMs} is {@code -Dgraphloop.runtime.nodeTimeoutMs}.</li>
 * </ol>
 * A value from the environment or a property is read as JSON when it is JSON ({@code 5000}, {@code true},
 * {@code {"type":"memory"}}), else as a string. The keys are {@link #keys()}: one per field of
 * {@link GraphRuntimeOptions#toJson()} (the deployment-role fields {@code coordinator} and {@code nodes} excepted)
 * plus {@code runtime.checkpointer}, and {@code ops.*} ({@link OpsOptions#FIELDS}). An unknown key under a known prefix ({@code GRAPHLOOP_RUNTIME_...},
 * {@code graphloop.runtime....}) fails, naming the known ones; other {@code GRAPHLOOP_} variables are not ours to judge.
 *
 * <p>Stateless. {@link #load} starts and closes a Vert.x instance to read the sources and waits for them: call it from
 * a plain thread (the CLI's main thread), never an event loop.
 */
final class CliConfig {

  static final String DEFAULT_FILE = "conf/graphloop.json";
  /** The files read without {@code --conf}, when exactly one of them exists. */
  static final List<String> DEFAULT_FILES = List.of(DEFAULT_FILE, "conf/graphloop.yaml", "conf/graphloop.yml");
  static final String ENV_PREFIX = "GRAPHLOOP_";
  static final String PROPERTY_PREFIX = "graphloop.";
  private static final Set<String> SECTIONS = Set.of("runtime", "server", "ops"); // server: read by serve and member --serve-port
  private static final Set<String> NOT_KEYS = Set.of("coordinator", "nodes");
  private static final long READ_TIMEOUT_SECONDS = 30;

  private CliConfig() {
  }

  /** Every configuration key, sorted ({@code runtime.checkpointer}, {@code runtime.nodeTimeoutMs}, ...). */
  static List<String> keys() {
    Set<String> fields = new TreeSet<>(new GraphRuntimeOptions().toJson().fieldNames());
    fields.add("checkpointer");
    fields.removeAll(NOT_KEYS);
    List<String> keys = new ArrayList<>();
    fields.forEach(field -> keys.add("runtime." + field));
    new TreeSet<>(OpsOptions.FIELDS).forEach(field -> keys.add("ops." + field));
    return keys;
  }

  /** {@code runtime.nodeTimeoutMs} becomes {@code GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS}. */
  static String envName(String key) {
    return ENV_PREFIX + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** {@code runtime.nodeTimeoutMs} becomes {@code graphloop.runtime.nodeTimeoutMs}. */
  static String propertyName(String key) {
    return PROPERTY_PREFIX + key;
  }

  /**
   * The configuration ({@code {"runtime": {...}}}): the file, then the environment, then the system properties.
   *
   * @param file the file {@code --conf} names, or {@code null} for the default file that exists (see the class)
   * @throws IllegalArgumentException saying which file, variable or property is wrong and what would be right
   */
  static JsonObject load(Path file) {
    if (file != null && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot read configuration file " + file + ": no such file.");
    }
    Path path = file == null ? defaultFile() : file;
    boolean readFile = path != null;
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject fromFile = readFile ? ConfigFiles.read(vertx, path) : new JsonObject();
      JsonObject env = retrieve(vertx, new ConfigStoreOptions().setType("env")
          .setConfig(new JsonObject().put("raw-data", true)), "the environment");
      JsonObject properties = retrieve(vertx, new ConfigStoreOptions().setType("sys")
          .setConfig(new JsonObject().put("raw-data", true).put("cache", false)), "the system properties");
      return merge(readFile ? path : null, fromFile, env.getMap(), properties.getMap());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
  }

  /**
   * The default file that exists ({@link #DEFAULT_FILES}), or {@code null} when none does.
   *
   * @throws IllegalArgumentException when more than one exists: which one is meant is not a guess to make
   */
  static Path defaultFile() {
    return defaultFile(Path.of(""));
  }

  /** {@link #defaultFile()} under {@code dir} instead of the working directory. */
  static Path defaultFile(Path dir) {
    List<Path> present = new ArrayList<>();
    for (String name : DEFAULT_FILES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        present.add(dir.resolve(name));
      }
    }
    if (present.size() > 1) {
      throw new IllegalArgumentException("Both " + present.get(0) + " and " + present.get(1) + " exist; keep one, or "
          + "name the file to read with --conf FILE.");
    }
    return present.isEmpty() ? null : present.get(0);
  }

  /** The runtime options of a loaded configuration; see {@link #load}. */
  static GraphRuntimeOptions runtimeOptions(Path file) {
    return runtimeOptions(load(file), file);
  }

  /** The runtime options of {@code config}, a configuration {@link #load loaded} from {@code file}. */
  static GraphRuntimeOptions runtimeOptions(JsonObject config, Path file) {
    try {
      return new GraphRuntimeOptions(config.getJsonObject("runtime"));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("Bad runtime options (" + sources(file) + "): " + e.getMessage(), e);
    }
  }

  /** The operations options of {@code config}, a configuration {@link #load loaded} from {@code file}. */
  static OpsOptions opsOptions(JsonObject config, Path file) {
    try {
      return new OpsOptions(config.getJsonObject("ops", new JsonObject()));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("Bad ops options (" + sources(file).replace("RUNTIME", "OPS")
          .replace("runtime", "ops") + "): " + e.getMessage(), e);
    }
  }

  /**
   * Merges the three sources (pure; what {@link #load} does once it has read them).
   *
   * @param file the file that was read, or {@code null}
   */
  static JsonObject merge(Path file, JsonObject fromFile, Map<String, ?> env, Map<String, ?> properties) {
    for (String section : fromFile.fieldNames()) {
      if (!SECTIONS.contains(section)) {
        throw new IllegalArgumentException("Unknown field '" + section + "' in configuration file " + file
            + "; it has " + String.join(", ", new TreeSet<>(SECTIONS)) + ".");
      }
      if (!(fromFile.getValue(section) instanceof JsonObject)) {
        throw new IllegalArgumentException("Field '" + section + "' of " + file + " must be an object (a JSON object, "
            + "or a YAML mapping) of " + section + " options.");
      }
    }
    JsonObject merged = new JsonObject();
    for (String section : new TreeSet<>(SECTIONS).descendingSet()) { // runtime first, as before
      JsonObject values = fromFile.getJsonObject(section, new JsonObject()).copy();
      Map<String, String> byEnv = new TreeMap<>();
      Map<String, String> byProperty = new TreeMap<>();
      for (String key : keys()) {
        if (key.startsWith(section + ".")) {
          byEnv.put(envName(key), key);
          byProperty.put(propertyName(key), key);
        }
      }
      String upper = section.toUpperCase(Locale.ROOT);
      override(values, section, env, byEnv, ENV_PREFIX + upper + "_", "environment variable");
      override(values, section, properties, byProperty, PROPERTY_PREFIX + section + ".", "system property");
      merged.put(section, values);
    }
    return merged;
  }

  private static void override(JsonObject values, String section, Map<String, ?> source, Map<String, String> names,
                               String prefix, String kind) {
    for (Map.Entry<String, ?> entry : new TreeMap<>(source).entrySet()) {
      String name = entry.getKey();
      String key = names.get(name);
      if (key == null) {
        if (name.startsWith(prefix)) {
          throw new IllegalArgumentException("Unknown " + kind + " " + name + "; the " + kind + " names are "
              + String.join(", ", names.keySet()) + ".");
        }
        continue;
      }
      values.put(key.substring(section.length() + 1), value(String.valueOf(entry.getValue())));
    }
  }

  /** The value as JSON when it is JSON ({@code 5000}, {@code true}, an object), else the text. */
  static Object value(String text) {
    try {
      Object value = Json.decodeValue(text.trim());
      return value == null ? text : value;
    } catch (DecodeException e) {
      return text;
    }
  }

  static String sources(Path file) {
    Path path = file == null ? defaultFile() : file;
    return (path != null && Files.isRegularFile(path) ? path + ", " : "") + "environment " + ENV_PREFIX + "RUNTIME_*, system "
        + "properties " + PROPERTY_PREFIX + "runtime.*";
  }

  private static JsonObject retrieve(Vertx vertx, ConfigStoreOptions store, String what) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(store));
    try {
      Future<JsonObject> config = retriever.getConfig();
      return config.toCompletionStage().toCompletableFuture().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalArgumentException("Cannot read " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Could not read " + what + " within " + READ_TIMEOUT_SECONDS + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + what + ".");
    } finally {
      retriever.close();
    }
  }
}
