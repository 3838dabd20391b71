package io.graphloop.cli;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.examples.ExampleGraphs;

import java.util.List;

/**
 * The command line's graphs: the example graphs ({@link ExampleGraphs}), which the CLI registers for itself, plus
 * those of every {@code GraphProvider} service on the classpath.
 *
 * <p>Stateless; {@link #catalog()} scans the classpath, so call it from the CLI's main thread.
 */
final class CliGraphs {

  private CliGraphs() {
  }

  static GraphCatalog catalog() {
    return GraphCatalog.load(List.of(new ExampleGraphs()));
  }
}
