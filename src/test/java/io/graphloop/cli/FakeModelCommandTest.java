package io.graphloop.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code graphloop fake-model}: bad arguments exit 2 naming the option, a port that is taken exits 1 saying so (both
 * return without serving). Serving itself is the README's agent example ({@code FakeChatServer} is tested by the
 * agents' tests).
 */
@Timeout(value = 60)
class FakeModelCommandTest {

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badArgumentsExit2NamingTheOption() {
    assertEquals(2, run("fake-model", "--port", "70000"));
    assertTrue(err().contains("Option --port takes a whole number from 0 to 65535, was '70000'."), err());
    assertEquals(2, run("fake-model", "--token-delay-ms", "-1"));
    assertTrue(err().contains("Option --token-delay-ms takes a whole number from 0 to 60000, was '-1'."), err());
  }

  @Test
  void aTakenPortExits1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(1, run("fake-model", "--port", String.valueOf(taken.getLocalPort())));
      assertTrue(err().startsWith("fake-model failed: "), err());
    }
  }
}
