package io.graphloop.cluster;

import io.graphloop.examples.ExampleGraphs;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graphs by name from the {@link GraphProvider}s on the classpath. */
class GraphCatalogTest {

  @Test
  void theBuiltInProviderIsFoundThroughTheServiceLoader() {
    GraphCatalog catalog = GraphCatalog.load();
    assertEquals(Set.of("chain", "crash", "failover", "map-reduce", "seed", "seed-fast"), catalog.names());
    CompiledGraph chain = catalog.graph("chain");
    assertEquals("chain", chain.name());
    assertEquals(ExampleGraphs.CHAIN_LENGTH, chain.nodes().size());
    assertEquals("seed", catalog.graph("seed").name());
  }

  @Test
  void anUnknownNameFailsListingTheKnownOnes() {
    String message = assertThrows(IllegalArgumentException.class, () -> GraphCatalog.load().graph("nope"))
        .getMessage();
    assertTrue(message.startsWith("Unknown graph 'nope'. Known graphs: chain, crash, failover, map-reduce, seed, "
        + "seed-fast."), message);
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
