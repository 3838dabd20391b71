package org.example.modular;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.MissingDependencyException;
import io.graphloop.checkpoint.CheckpointStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application as a named module on the module path: Graphloop is the named module io.graphloop (its own
 * descriptor, not an automatic module), its graph runs over the event bus, and what the descriptor does not export
 * is out of reach, for the compiler and at run time.
 */
@ExtendWith(VertxExtension.class)
class ModularNotesTest {

  @Test
  void theApplicationAndGraphloopAreNamedModules() {
    Module app = NotesGraph.class.getModule();
    Module graphloop = GraphClient.class.getModule();
    assertEquals("org.example.modular", app.getName(), "the tests run on the module path");
    assertEquals("io.graphloop", graphloop.getName());
    assertFalse(graphloop.getDescriptor().isAutomatic(), "io.graphloop has a module-info of its own");
    assertTrue(app.canRead(graphloop));
  }

  @Test
  void theVerticleRunsTheTypedGraphOverTheEventBus(Vertx vertx, VertxTestContext test) {
    JsonObject ask = new JsonObject().put("topic", "modules").put("thread", "t1");
    vertx.deployVerticle(new NotesVerticle())
        .compose(id -> vertx.eventBus().<JsonObject>request(NotesVerticle.ADDRESS, ask))
        .compose(first -> vertx.eventBus().<JsonObject>request(NotesVerticle.ADDRESS, ask)
            .map(second -> List.of(first.body(), second.body())))
        .onComplete(test.succeeding(replies -> test.verify(() -> {
          JsonObject first = replies.get(0);
          assertEquals(Set.of("web: modules", "archive: modules"), Set.copyOf(first.getJsonArray("notes").getList()));
          assertEquals(1, first.getInteger("count"));
          // the second run continues thread t1: the @Append channel keeps the first notes
          JsonObject second = replies.get(1);
          assertEquals(4, second.getJsonArray("notes").size(), second.encode());
          assertEquals(2, second.getInteger("count"));
          test.completeNow();
        })));
  }

  @Test
  void onlyTheApiPackagesAreExported() throws Exception {
    Module graphloop = GraphClient.class.getModule();
    for (String api : List.of("io.graphloop.graph", "io.graphloop.state", "io.graphloop.run", "io.graphloop.runtime",
        "io.graphloop.client", "io.graphloop.checkpoint", "io.graphloop.cluster", "io.graphloop.errors")) {
      assertTrue(graphloop.isExported(api), api);
    }
    for (String internal : List.of("io.graphloop.internal.engine", "io.graphloop.internal.bus",
        "io.graphloop.protocol", "io.graphloop.cli", "io.graphloop.examples", "io.graphloop.studio")) {
      assertTrue(graphloop.getPackages().contains(internal), internal);
      assertFalse(graphloop.isExported(internal), internal + " must not be exported");
    }
    // at run time: a public class of an internal package cannot be used from here
    Class<?> engine = Class.forName("io.graphloop.internal.engine.Superstep");
    assertTrue(java.lang.reflect.Modifier.isPublic(engine.getModifiers()));
    assertThrows(IllegalAccessException.class, () -> java.lang.invoke.MethodHandles.lookup().accessClass(engine));
    java.lang.invoke.MethodHandles.lookup().accessClass(GraphClient.class); // an API class is accessible
  }

  @Test
  void theCompilerRefusesAnInternalPackage() throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = Files.createTempDirectory("modular-javac");
    String modulePath = System.getProperty("jdk.module.path");
    assertTrue(modulePath != null && modulePath.contains("graphloop"), "module path: " + modulePath);
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<JavaFileObject> sources = List.of(
        source("module-info", "module probe { requires io.graphloop; }"),
        source("probe/Api", "package probe; public class Api { io.graphloop.graph.StateGraph graph; }"),
        source("probe/Internal", "package probe; public class Internal { io.graphloop.protocol.NodeRequest r; }"));
    boolean ok = javac.getTask(null, null, diagnostics, List.of("--module-path", modulePath, "-d", out.toString()),
        null, sources).call();
    assertFalse(ok, "an internal package must not compile");
    String errors = diagnostics.getDiagnostics().toString();
    assertTrue(errors.contains("io.graphloop.protocol") && errors.contains("does not export"), errors);
    assertFalse(errors.contains("Api.java"), "the API compiles: " + errors);
  }

  private static JavaFileObject source(String name, String code) {
    return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }

  @Test
  void optionalFeaturesNameTheArtifactAndTheModule() throws Exception {
    MissingDependencyException cluster = assertThrows(MissingDependencyException.class,
        () -> ClusteredVertx.start(new ClusterOptions()));
    assertEquals(MissingDependencyException.HAZELCAST, cluster.artifact());
    assertEquals("io.vertx.clustermanager.hazelcast", cluster.module());
    assertTrue(cluster.getMessage().contains("requires io.vertx.clustermanager.hazelcast;"), cluster.getMessage());
    Vertx vertx = Vertx.vertx();
    try {
      for (String type : List.of("sqlite", "postgres")) {
        Throwable failure = CheckpointStores.open(vertx, new JsonObject().put("type", type)).toCompletionStage()
            .toCompletableFuture().handle((store, error) -> error).get(10, TimeUnit.SECONDS);
        failure = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        assertTrue(failure instanceof MissingDependencyException, type + ": " + failure);
        String module = ((MissingDependencyException) failure).module();
        assertEquals(type.equals("sqlite") ? "org.xerial.sqlitejdbc" : "io.vertx.sql.client.pg", module);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
