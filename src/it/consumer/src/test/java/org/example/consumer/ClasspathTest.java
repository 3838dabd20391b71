package org.example.consumer;

import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What depending on io.graphloop:graphloop brings: its required dependencies only, each class once; the optional
 * features fail with an error naming the artifact to add.
 */
class ClasspathTest {

  private static List<Path> classpath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry));
      }
    }
    return entries;
  }

  @Test
  void graphloopIsAPlainLibraryJarOnTheClasspath() {
    List<Path> graphloop = classpath().stream()
        .filter(path -> path.getFileName().toString().startsWith("graphloop-")).toList();
    assertEquals(1, graphloop.size(), "graphloop jars: " + graphloop);
    assertTrue(classpath().stream().anyMatch(path -> path.getFileName().toString().startsWith("vertx-core-")),
        "vertx-core comes as its own jar");
  }

  @Test
  void theLibraryJarIsTheModuleIoGraphloop() {
    Path jar = classpath().stream().filter(path -> path.getFileName().toString().startsWith("graphloop-"))
        .findFirst().orElseThrow();
    // ModuleFinder reads the jar as the module path would: its module-info.class (a provider class missing from the
    // jar would fail here); the modular consumer build (src/it/modular) runs on the module path
    java.util.Set<java.lang.module.ModuleReference> found = java.lang.module.ModuleFinder.of(jar).findAll();
    assertEquals(1, found.size(), jar.toString());
    java.lang.module.ModuleDescriptor module = found.iterator().next().descriptor();
    assertEquals("io.graphloop", module.name());
    assertFalse(module.isAutomatic(), "the jar has its own module-info.class");
    java.util.Set<String> exported = new java.util.TreeSet<>();
    module.exports().forEach(export -> exported.add(export.source()));
    assertTrue(exported.contains("io.graphloop.graph") && exported.contains("io.graphloop.client"), exported.toString());
    assertFalse(exported.contains("io.graphloop.internal.engine") || exported.contains("io.graphloop.protocol"),
        exported.toString());
  }

  @Test
  void noOptionalDependencyReachesTheClasspathUnasked() {
    for (Path entry : classpath()) {
      String name = entry.getFileName().toString();
      assertFalse(name.startsWith("hazelcast") || name.startsWith("vertx-hazelcast") || name.startsWith("sqlite-jdbc")
          || name.startsWith("vertx-pg-client") || name.startsWith("vertx-config") || name.startsWith("snakeyaml"),
          "unasked optional dependency on the classpath: " + entry);
    }
    for (String type : List.of("com.hazelcast.core.Hazelcast", "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager",
        "org.sqlite.SQLiteConfig", "io.vertx.pgclient.PgConnectOptions", "io.vertx.config.ConfigRetriever",
        "io.vertx.config.yaml.YamlProcessor", "org.yaml.snakeyaml.Yaml")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(type), type + " must not be loadable");
    }
  }

  @Test
  void noClassIsOnTheClasspathTwice() throws IOException {
    Map<String, Path> owners = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    int classes = 0;
    for (Path entry : classpath()) {
      for (String type : classesIn(entry)) {
        classes++;
        Path other = owners.putIfAbsent(type, entry);
        if (other != null && !type.equals("module-info.class") && !type.endsWith("/module-info.class")) {
          duplicates.add(type + " in " + other + " and " + entry);
        }
      }
    }
    assertTrue(classes > 1000, "scanned " + classes + " classes");
    assertTrue(duplicates.isEmpty(), duplicates.size() + " duplicated classes, e.g. "
        + duplicates.subList(0, Math.min(10, duplicates.size())));
  }

  private static List<String> classesIn(Path entry) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(entry)) {
      try (Stream<Path> files = Files.walk(entry)) {
        files.filter(file -> file.toString().endsWith(".class"))
            .forEach(file -> names.add(entry.relativize(file).toString().replace(File.separatorChar, '/')));
      }
    } else if (Files.isRegularFile(entry)) {
      try (JarFile jar = new JarFile(entry.toFile())) {
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          String name = entries.nextElement().getName();
          // multi-release versions of a class are the same class
          if (name.endsWith(".class") && !name.startsWith("META-INF/versions/")) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  @Test
  void clusteringWithoutHazelcastNamesTheArtifact() {
    MissingDependencyException e = assertThrows(MissingDependencyException.class,
        () -> ClusteredVertx.start(new ClusterOptions()));
    assertEquals(MissingDependencyException.HAZELCAST, e.artifact());
    assertTrue(e.getMessage().contains("io.vertx:vertx-hazelcast"), e.getMessage());
  }

  @Test
  void storesWithoutTheirDriverNameTheArtifact() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      for (Map.Entry<String, String> store : Map.of("sqlite", MissingDependencyException.SQLITE,
          "postgres", MissingDependencyException.PG_CLIENT).entrySet()) {
        JsonObject config = new JsonObject().put("type", store.getKey());
        Throwable failure = CheckpointStores.open(vertx, config).toCompletionStage().toCompletableFuture()
            .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
        failure = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        assertTrue(failure instanceof MissingDependencyException, store + ": " + failure);
        assertEquals(store.getValue(), ((MissingDependencyException) failure).artifact());
      }
      // the in-memory store needs nothing more
      assertTrue(CheckpointStores.open(vertx, new JsonObject().put("type", "memory")).toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS) != null);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
