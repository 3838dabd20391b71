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

/** Keeps the README's error-handler example true: the retried node's handler routes the run to the fallback. */
@ExtendWith(VertxExtension.class)
class ErrorHandlingTest {

  @Test
  void theHandlerRoutesToTheFallbackAfterTheDefaultRetries(Vertx vertx, VertxTestContext test) {
    ErrorHandling.run(vertx).onComplete(test.succeeding(printed -> test.verify(() -> {
      assertEquals("fallback answer (search failed after 2 attempts: search is down)", printed);
      test.completeNow();
    })));
  }

  @Test
  void theReadmeQuotesTheExampleGraphExactly() throws IOException {
    Path base = Path.of(System.getProperty("basedir", "."));
    String source = Files.readString(base.resolve("src/main/java/io/graphloop/examples/ErrorHandling.java"));
    int start = source.indexOf("  public static CompiledGraph graph() {");
    int end = source.indexOf("\n  }\n", start) + "\n  }".length();
    String method = source.substring(start, end).lines().map(line -> line.isEmpty() ? line : line.substring(2))
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(base.resolve("README.md"));
    assertTrue(readme.contains("```java\n" + method + "\n```"), "README.md should quote ErrorHandling.graph():\n"
        + method);
  }
}
