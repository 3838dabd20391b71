package io.graphloop.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code graphloop cds}'s refusals, which start nothing (recording an archive from the jar is {@code StartupIT}'s):
 * outside the jar (the unit tests run from {@code target/classes}) it says how to run it, exit 2.
 */
class CdsCommandTest {

  @Test
  void outsideTheJarItSaysHowToRunIt() {
    assertNull(CdsCommand.jar(), "the unit tests run from target/classes, not the jar");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"cds"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Cli.USAGE, status);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("java -jar target/graphloop.jar cds"), message);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void itIsListedAmongTheCommands() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("cds"), out.toString(StandardCharsets.UTF_8));
  }
}
