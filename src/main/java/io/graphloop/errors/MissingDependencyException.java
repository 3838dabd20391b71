package io.graphloop.errors;

/**
 * A feature was used whose optional dependency is not on the classpath: clustering needs
 * {@code io.vertx:vertx-hazelcast}, the PostgreSQL checkpoint store {@code io.vertx:vertx-pg-client}, the SQLite store
 * {@code org.xerial:sqlite-jdbc}. The library's pom declares them optional, so an application gets only those it asks
 * for; the message names the artifact to add.
 *
 * <p>On the module path (Graphloop is the named module {@code io.graphloop}, whose descriptor names these
 * {@code requires static}) a dependency is missing also when its jar is there but its module is not in the module
 * graph (nothing {@code requires} it), or when its jar is on the class path, which a named module cannot read; the
 * message then names the module to require ({@link #module()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class MissingDependencyException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** Clustering ({@code ClusteredVertx}, {@code ClusterOptions}). */
  public static final String HAZELCAST = "io.vertx:vertx-hazelcast";
  /** The PostgreSQL checkpoint store. */
  public static final String PG_CLIENT = "io.vertx:vertx-pg-client";
  /** The SQLite checkpoint store. */
  public static final String SQLITE = "org.xerial:sqlite-jdbc";

  /** The module names of the optional artifacts, as io.graphloop's module-info requires them (static). */
  private static final java.util.Map<String, String> MODULES = java.util.Map.ofEntries(
      java.util.Map.entry(HAZELCAST, "io.vertx.clustermanager.hazelcast"),
      java.util.Map.entry(PG_CLIENT, "io.vertx.sql.client.pg"),
      java.util.Map.entry(SQLITE, "org.xerial.sqlitejdbc"),
      java.util.Map.entry("io.vertx:vertx-health-check", "io.vertx.healthcheck"),
      java.util.Map.entry("io.vertx:vertx-micrometer-metrics", "io.vertx.metrics.micrometer"),
      java.util.Map.entry("io.micrometer:micrometer-core", "micrometer.core"),
      java.util.Map.entry("io.micrometer:micrometer-registry-prometheus", "micrometer.registry.prometheus"),
      java.util.Map.entry("io.vertx:vertx-opentelemetry", "io.vertx.tracing.opentelemetry"),
      java.util.Map.entry("io.opentelemetry:opentelemetry-sdk", "io.opentelemetry.sdk"),
      java.util.Map.entry("io.opentelemetry:opentelemetry-exporter-otlp", "io.opentelemetry.exporter.otlp"));

  private final String artifact;
  private final String feature;
  private final String module;

  private MissingDependencyException(String artifact, String feature, String module, String problem,
                                     Throwable cause) {
    super(feature + " needs " + artifact + problem + " Add the dependency <groupId>"
        + artifact.substring(0, artifact.indexOf(':')) + "</groupId><artifactId>"
        + artifact.substring(artifact.indexOf(':') + 1) + "</artifactId> to your build (the Vert.x BOM manages the "
        + "version of io.vertx artifacts); io.graphloop:graphloop declares it optional."
        + (module == null ? "" : " On the module path, also add `requires " + module + ";` to your module-info.java "
        + "(or run with --add-modules " + module + ")."), cause);
    this.artifact = artifact;
    this.feature = feature;
    this.module = module;
  }

  /**
   * Checks that {@code className} (a class of {@code artifact}) can be loaded by this library's class loader.
   *
   * @param artifact {@code groupId:artifactId} of the dependency
   * @param feature  what needs it, as the message's subject ("Clustering", "The SQLite checkpoint store")
   * @throws MissingDependencyException when the class is missing
   */
  public static void require(String className, String artifact, String feature) {
    if (!artifact.contains(":")) {
      throw new IllegalArgumentException("artifact must be groupId:artifactId, was '" + artifact + "'");
    }
    Module graphloop = MissingDependencyException.class.getModule();
    String module = graphloop.isNamed() ? MODULES.get(artifact) : null;
    Class<?> type;
    try {
      type = Class.forName(className, false, MissingDependencyException.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(artifact, feature, module, graphloop.isNamed()
          ? " in the module graph, and it is not there." : " on the classpath, and it is not there.", e);
    }
    if (!graphloop.canRead(type.getModule())) {
      Module found = type.getModule();
      throw new MissingDependencyException(artifact, feature, found.isNamed() ? found.getName() : module,
          found.isNamed() ? " in the module graph: its module " + found.getName() + " is there, but "
              + graphloop.getName() + " does not read it."
              : " on the module path: " + className + " was found on the class path, which the named module "
              + graphloop.getName() + " cannot read.", null);
    }
  }

  /**
   * Whether {@code className} can be loaded by this library's class loader (and, when this library is a named module,
   * its module is one this library reads).
   */
  public static boolean present(String className) {
    try {
      Class<?> type = Class.forName(className, false, MissingDependencyException.class.getClassLoader());
      return MissingDependencyException.class.getModule().canRead(type.getModule());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The missing artifact, {@code groupId:artifactId}. */
  public String artifact() {
    return artifact;
  }

  /**
   * The module to {@code requires} on the module path ({@code io.vertx.clustermanager.hazelcast}, ...), or null when
   * Graphloop runs on the class path or the artifact's module is not known.
   */
  public String module() {
    return module;
  }

  /** The feature that needs it. */
  public String feature() {
    return feature;
  }
}
