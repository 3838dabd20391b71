package io.graphloop.errors;

/**
 * A feature was used whose optional dependency is not on the classpath: clustering needs
 * {@code io.vertx:vertx-hazelcast}, the PostgreSQL checkpoint store {@code io.vertx:vertx-pg-client}, the SQLite store
 * {@code org.xerial:sqlite-jdbc}. The library's pom declares them optional, so an application gets only those it asks
 * for; the message names the artifact to add.
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

  private final String artifact;
  private final String feature;

  private MissingDependencyException(String artifact, String feature, Throwable cause) {
    super(feature + " needs " + artifact + " on the classpath, and it is not there. Add the dependency <groupId>"
        + artifact.substring(0, artifact.indexOf(':')) + "</groupId><artifactId>"
        + artifact.substring(artifact.indexOf(':') + 1) + "</artifactId> to your build (the Vert.x BOM manages the "
        + "version of io.vertx artifacts); io.graphloop:graphloop declares it optional.", cause);
    this.artifact = artifact;
    this.feature = feature;
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
    try {
      Class.forName(className, false, MissingDependencyException.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(artifact, feature, e);
    }
  }

  /** Whether {@code className} can be loaded by this library's class loader. */
  public static boolean present(String className) {
    try {
      Class.forName(className, false, MissingDependencyException.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The missing artifact, {@code groupId:artifactId}. */
  public String artifact() {
    return artifact;
  }

  /** The feature that needs it. */
  public String feature() {
    return feature;
  }
}
