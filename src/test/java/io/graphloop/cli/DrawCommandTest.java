package io.graphloop.cli;

import io.graphloop.examples.ExampleGraphs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code graphloop draw}, run in-process from the JUnit thread. */
@Timeout(value = 30)
class DrawCommandTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  /** Produced by LangGraph 1.2.12 for the same graph (generate.py beside it, graph 17). */
  private static String golden(String name) throws IOException {
    try (InputStream in = DrawCommandTest.class.getResourceAsStream("/langgraph/mermaid/" + name + ".mmd")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void printsTheMermaidTextLangGraphDrawsForTheSameGraph() throws IOException {
    assertEquals(0, run("draw", "--graph", "seed"), err());
    assertEquals(golden("seed"), out());
  }

  @Test
  void xrayAloneExpandsAllLevelsAndADepthIsAccepted() {
    assertEquals(0, run("draw", "--graph", "approval", "--xray"), err());
    String all = out();
    assertEquals(new ExampleGraphs().graph("approval").toMermaid(-1), all);
    outBytes.reset();
    assertEquals(0, run("draw", "--graph", "approval", "--xray=2"), err());
    assertEquals(new ExampleGraphs().graph("approval").toMermaid(2), out());
  }

  @Test
  void jsonIsLangGraphsGraphJson() {
    assertEquals(0, run("draw", "--graph", "seed", "--json"), err());
    JsonObject json = new JsonObject(out());
    assertEquals(new ExampleGraphs().graph("seed").drawing(0).toJson(), json);
    assertEquals("__start__", json.getJsonArray("nodes").getJsonObject(0).getString("id"));
  }

  @Test
  void anUnknownGraphReturns2ListingTheKnownOnes() {
    assertEquals(2, run("draw", "--graph", "nope"));
    assertTrue(err().contains("Unknown graph 'nope'") && err().contains("seed"), err());
    assertEquals("", out());
  }

  @Test
  void aMissingGraphOrABadDepthReturns2NamingTheOption() {
    assertEquals(2, run("draw"));
    assertTrue(err().contains("--graph"), err());
    errBytes.reset();
    assertEquals(2, run("draw", "--graph", "seed", "--xray=deep"));
    assertTrue(err().contains("--xray"), err());
    errBytes.reset();
    assertEquals(2, run("draw", "--graph", "seed", "--xray=-3"));
    assertTrue(err().contains("--xray"), err());
    assertEquals("", out());
  }
}
