package io.graphloop.errors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error a feature raises when its optional dependency is missing. The consumer build (src/it/consumer) shows it
 * for real: there, without Hazelcast and SQLite, clustering and the SQLite store fail with this message.
 */
class MissingDependencyExceptionTest {

  @Test
  void aMissingClassNamesTheArtifactAndTheFeature() {
    MissingDependencyException e = assertThrows(MissingDependencyException.class,
        () -> MissingDependencyException.require("org.example.NotThere", "org.example:not-there", "The thing"));
    assertEquals("org.example:not-there", e.artifact());
    assertEquals("The thing", e.feature());
    assertTrue(e.getMessage().startsWith("The thing needs org.example:not-there on the classpath"), e.getMessage());
    assertTrue(e.getMessage().contains("<groupId>org.example</groupId><artifactId>not-there</artifactId>"),
        e.getMessage());
    assertFalse(MissingDependencyException.present("org.example.NotThere"));
    // on the class path there is no module to name (the modular consumer build, src/it/modular, checks that one)
    assertEquals(null, e.module());
    assertFalse(e.getMessage().contains("module-info"), e.getMessage());
  }

  @Test
  void aPresentClassPasses() {
    // the unit tests run with every optional dependency on the classpath
    assertDoesNotThrow(() -> MissingDependencyException.require("org.sqlite.SQLiteConfig",
        MissingDependencyException.SQLITE, "The SQLite checkpoint store"));
    assertTrue(MissingDependencyException.present("io.vertx.spi.cluster.hazelcast.HazelcastClusterManager"));
  }
}
