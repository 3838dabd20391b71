package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README's node caching example true: the second run is served from the cache. */
@ExtendWith(VertxExtension.class)
class CachedNodesTest {

  @Test
  void theSecondRunWithTheSameTextIsServedFromTheCache(Vertx vertx, VertxTestContext test) {
    CachedNodes.run(vertx).onComplete(test.succeeding(printed -> test.verify(() -> {
      assertEquals("[0.42, 5.0] [0.42, 5.0] embed ran 1 time(s)", printed);
      test.completeNow();
    })));
  }

  @Test
  void theReadmeQuotesTheExampleGraphExactly() throws IOException {
    Path base = Path.of(System.getProperty("basedir", "."));
    String source = Files.readString(base.resolve("src/main/java/io/graphloop/examples/CachedNodes.java"));
    int start = source.indexOf("  public static CompiledGraph graph(AtomicInteger runs) {");
    int end = source.indexOf("\n  }\n", start) + "\n  }".length();
    String method = source.substring(start, end).lines().map(line -> line.isEmpty() ? line : line.substring(2))
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(base.resolve("README.md"));
    assertTrue(readme.contains("```java\n" + method + "\n```"), "README.md should quote CachedNodes.graph():\n" + method);
  }
}
