package io.graphloop.cluster;

import io.graphloop.examples.ExampleGraphs;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graphs by name from the {@link GraphProvider}s on the classpath. */
class GraphCatalogTest {

  /** A provider found through a service registration (see {@link #providerFoundThroughTheServiceLoader}). */
  public static final class EchoProvider implements GraphProvider {
    @Override
    public Set<String> names() {
      return Set.of("echo");
    }

    @Override
    public CompiledGraph graph(String name) {
      return ExampleGraphs.chain("echo", 1);
    }
  }

  @Test
  void theLibraryRegistersNoGraphOfItsOwn() {
    // the examples are the command line's, not the library's: an application may name its graph "seed"
    assertEquals(Set.of(), GraphCatalog.load().names());
    assertTrue(GraphCatalog.class.getClassLoader().getResource("META-INF/services/" + GraphProvider.class.getName())
        == null, "the library jar must not register a GraphProvider");
  }

  @Test
  void providerFoundThroughTheServiceLoader(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(GraphProvider.class.getName()), EchoProvider.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      GraphCatalog catalog = GraphCatalog.load(loader);
      assertEquals(Set.of("echo"), catalog.names());
      assertEquals("echo", catalog.graph("echo").name());
    }
  }

  @Test
  void builtInProvidersComeBesideTheServices() {
    GraphCatalog catalog = GraphCatalog.load(List.of(new ExampleGraphs()));
    assertEquals(Set.of("agent", "approval", "chain", "chat", "crash", "failover", "map-reduce", "research", "seed", "seed-fast"),
        catalog.names());
    CompiledGraph chain = catalog.graph("chain");
    assertEquals("chain", chain.name());
    assertEquals(ExampleGraphs.CHAIN_LENGTH, chain.nodes().size());
    assertEquals("seed", catalog.graph("seed").name());
  }

  @Test
  void anUnknownNameFailsListingTheKnownOnes() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> GraphCatalog.load(List.of(new ExampleGraphs())).graph("nope")).getMessage();
    assertTrue(message.startsWith("Unknown graph 'nope'. Known graphs: agent, approval, chain, chat, crash, failover, map-reduce, "
        + "research, seed, seed-fast."), message);
    assertTrue(message.contains("META-INF/services/io.graphloop.cluster.GraphProvider"), message);
  }

  @Test
  void twoProvidersNamingOneGraphFailNamingBoth() {
    GraphProvider other = new GraphProvider() {
      @Override
      public Set<String> names() {
        return Set.of("seed");
      }

      @Override
      public CompiledGraph graph(String name) {
        return SeedGraph.build("seed", 0);
      }
    };
    String message = assertThrows(IllegalArgumentException.class,
        () -> GraphCatalog.of(List.of(new ExampleGraphs(), other))).getMessage();
    assertTrue(message.contains("Graph 'seed' is named by two graph providers")
        && message.contains(ExampleGraphs.class.getName()), message);
  }

  @Test
  void aProviderReturningAGraphOfAnotherNameIsReported() {
    GraphProvider wrong = new GraphProvider() {
      @Override
      public Set<String> names() {
        return Set.of("mine");
      }

      @Override
      public CompiledGraph graph(String name) {
        return SeedGraph.build("other", 0);
      }
    };
    String message = assertThrows(IllegalStateException.class, () -> GraphCatalog.of(List.of(wrong)).graph("mine"))
        .getMessage();
    assertTrue(message.contains("returned a graph named 'other' for graph 'mine'"), message);
  }
}
