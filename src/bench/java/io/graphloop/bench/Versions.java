package io.graphloop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Reads library versions from the resources their jars ship (they survive shading). */
final class Versions {

  private Versions() {
  }

  /** Vert.x core's version, from {@code META-INF/vertx/vertx-version.txt}. */
  static String vertx() {
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** A Maven artifact's version, from its {@code pom.properties}. */
  static String maven(String groupId, String artifactId) {
    String path = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
