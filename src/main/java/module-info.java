/**
 * Graphloop: LangGraph's programming model (state graphs, channels, checkpoints, interrupts) as actors on the Vert.x
 * event bus.
 *
 * <p>The module exports the packages an application programs against and nothing else, as Vert.x core does: the
 * superstep engine and the event-bus plumbing ({@code io.graphloop.internal.*}), the wire types and codecs
 * ({@code io.graphloop.protocol}), the command line ({@code io.graphloop.cli}), the studio page
 * ({@code io.graphloop.studio}, installed as a {@link io.graphloop.server.ServerExtension} service) and the example
 * graphs ({@code io.graphloop.examples}, the command line's) stay inside. {@code ModuleBoundaryTest} fails when an
 * exported package is not in its API list or an API package is not exported.
 *
 * <p>Optional features name their dependencies {@code requires static}: an application that uses one adds the
 * artifact and {@code requires} its module (e.g. {@code requires org.xerial.sqlitejdbc;} for the SQLite store);
 * without it the feature fails with a {@link io.graphloop.errors.MissingDependencyException} naming the artifact and
 * the module. Typed state and tools read an application's records by reflection (Graphloop itself and Jackson), so a
 * modular application opens the package of its state records to {@code io.graphloop} and
 * {@code com.fasterxml.jackson.databind} (or exports it).
 */
module io.graphloop {
  // required: in every application's module graph (the pom's non-optional dependencies)
  requires transitive io.vertx.core;
  requires transitive io.vertx.web;
  requires transitive io.vertx.web.client;
  requires transitive com.fasterxml.jackson.databind;
  requires io.vertx.web.common;
  requires io.vertx.auth.common;
  requires io.vertx.auth.jwt;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.annotation;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;                           // FlushConsolidationHandler (the server's HTTP/2 writes)
  requires io.netty.codec.http2;
  requires java.logging;
  requires java.management;
  requires java.sql;
  requires hash4j;                                     // interrupt ids (LangGraph's xxh3_128 digests)

  // optional: the pom declares these <optional>; each feature checks for its classes (MissingDependencyException)
  requires static io.vertx.clustermanager.hazelcast;   // clustering
  requires static com.hazelcast.core;
  requires static io.vertx.sql.client;                 // the PostgreSQL checkpoint store, long-term store, thread records
  requires static io.vertx.sql.client.pg;
  requires static org.xerial.sqlitejdbc;               // the SQLite stores
  requires static info.picocli;                        // the command line
  requires static io.vertx.config;
  requires static io.vertx.metrics.micrometer;         // operations: metrics and readiness
  requires static micrometer.core;
  requires static micrometer.registry.prometheus;
  requires static io.vertx.healthcheck;
  requires static io.vertx.tracing.opentelemetry;      // tracing
  requires static io.opentelemetry.api;
  requires static io.opentelemetry.context;
  requires static io.opentelemetry.sdk;
  requires static io.opentelemetry.sdk.common;
  requires static io.opentelemetry.sdk.trace;
  requires static io.opentelemetry.exporter.otlp;

  // the API (README, "Use it in your Vert.x app"; the same list as ModuleBoundaryTest and ArchitectureTest)
  exports io.graphloop.agents;
  exports io.graphloop.cache;
  exports io.graphloop.checkpoint;
  exports io.graphloop.client;
  exports io.graphloop.cluster;
  exports io.graphloop.errors;
  exports io.graphloop.func;
  exports io.graphloop.graph;
  exports io.graphloop.ops;
  exports io.graphloop.run;
  exports io.graphloop.runtime;
  exports io.graphloop.server;
  exports io.graphloop.state;
  exports io.graphloop.store;

  // reflection from outside: picocli reads the command classes' annotated fields; Jackson converts the example
  // graphs' tool arguments (AgentExample.Operands). The exported packages need no opens: Jackson only calls the
  // public @JsonValue methods of their public types.
  opens io.graphloop.cli to info.picocli;
  opens io.graphloop.examples to com.fasterxml.jackson.databind;
  // the studio page's files (no classes): vertx-web's StaticHandler reads them with a class loader, which finds a
  // named module's resources only in packages opened to everyone
  opens io.graphloop.studio.web;
  opens io.graphloop.studio.web.vendor;

  uses io.graphloop.cluster.GraphProvider;
  uses io.graphloop.server.ServerExtension;
  provides io.graphloop.server.ServerExtension with io.graphloop.studio.StudioExtension, io.graphloop.ops.OpsExtension;
}
