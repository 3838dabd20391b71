package io.graphloop.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for the cluster members that the integration tests and the benchmark start.
 *
 * <p>Stateless; safe on any thread.
 */
public final class LoopbackPorts {

  private LoopbackPorts() {
  }

  /** {@code count} distinct TCP ports that were free on 127.0.0.1 a moment ago (from a random start, below 32768). */
  public static List<Integer> free(int count) throws IOException {
    // Below Linux's ephemeral range (32768 and up), so that no outgoing connection takes one before its member binds it.
    List<Integer> ports = new ArrayList<>();
    int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
    for (; ports.size() < count && port < 32_768; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        ports.add(socket.getLocalPort());
      } catch (IOException taken) {
        // try the next one
      }
    }
    if (ports.size() < count) {
      throw new IOException("found only " + ports.size() + " free ports on 127.0.0.1 below 32768");
    }
    return ports;
  }
}
