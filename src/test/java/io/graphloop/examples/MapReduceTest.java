package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README's map-reduce example true: one summary per sentence, joined in the sentences' order. */
@ExtendWith(VertxExtension.class)
class MapReduceTest {

  @Test
  void mapReduceSummarizesEverySentenceAndJoinsThemInOrder(Vertx vertx, VertxTestContext test) {
    MapReduce.run(vertx).onComplete(test.succeeding(state -> test.verify(() -> {
      assertEquals(List.of("Vert.x runs every node on an event loop.", "Sends fan the work out at run time.",
          "Reducers merge what comes back.", "The order never depends on timing."), state.getList("parts"));
      assertEquals(List.of("Vert.x runs every...", "Sends fan the...", "Reducers merge what...", "The order never..."),
          state.getList("summaries"), "one Send per part; summaries in Send order");
      assertEquals("Vert.x runs every... / Sends fan the... / Reducers merge what... / The order never...",
          state.getString("summary"), "what main prints, as the README shows");
      test.completeNow();
    })));
  }

  @Test
  void theReadmeQuotesTheExampleGraphExactly() throws IOException {
    Path base = Path.of(System.getProperty("basedir", "."));
    String source = Files.readString(base.resolve("src/main/java/io/graphloop/examples/MapReduce.java"));
    int start = source.indexOf("  public static CompiledGraph graph() {");
    int end = source.indexOf("\n  }\n", start) + "\n  }".length();
    String method = source.substring(start, end).lines().map(line -> line.isEmpty() ? line : line.substring(2))
        .collect(Collectors.joining("\n"));

    String readme = Files.readString(base.resolve("README.md"));

    assertTrue(readme.contains("```java\n" + method + "\n```"), "README.md should quote MapReduce.graph():\n" + method);
  }
}
