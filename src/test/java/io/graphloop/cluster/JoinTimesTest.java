package io.graphloop.cluster;

import io.graphloop.support.LoopbackPorts;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 16: a join says where its time went. A member alone on 127.0.0.1 (the repository's
 * {@code conf/cluster.xml}) logs one line whose four phases add up to the total, with Hazelcast's start and join timed
 * by its lifecycle events (so it is not folded into the others).
 *
 * <p>The JUnit thread waits on the join with a bound; nothing runs on an event loop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JoinTimesTest {

  private static final Pattern LINE = Pattern.compile("Joined the cluster in ([0-9.]+) s: configuration \\((.+)\\) "
      + "([0-9.]+) s, Vert\\.x and Hazelcast's instance \\(services, class loading\\) ([0-9.]+) s, Hazelcast's start "
      + "and join ([0-9.]+) s, "
      + "Vert\\.x's cluster set-up \\(event bus server, cluster tables\\) ([0-9.]+) s.*");
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level and handler. */
  private static final Logger LOG = Logger.getLogger("io.graphloop.cluster.ClusteredVertx");
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Test
  void aJoinLogsItsPhasesAndTheyAddUpToTheTotal() throws Exception {
    HAZELCAST_LOG.setLevel(Level.SEVERE);
    List<String> lines = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (lines) {
          lines.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    LOG.addHandler(capture);
    String config = Path.of(System.getProperty("basedir", ".")).resolve("conf/cluster.xml").toString();
    int port = LoopbackPorts.free(1).get(0);
    Vertx vertx = null;
    try {
      vertx = ClusteredVertx.start(new ClusterOptions().setClusterConfig(config).setHost("127.0.0.1").setPort(port)
          .setMembers(List.of("127.0.0.1:" + port))).toCompletionStage().toCompletableFuture()
          .get(90, TimeUnit.SECONDS);
      String line;
      synchronized (lines) {
        line = lines.stream().filter(l -> l.startsWith("Joined the cluster")).findFirst().orElse(null);
      }
      assertTrue(line != null, "no join line was logged: " + lines);
      System.out.println("JoinTimesTest: " + line);
      Matcher m = LINE.matcher(line);
      assertTrue(m.matches(), line);
      assertEquals(config, m.group(2));
      double total = Double.parseDouble(m.group(1));
      double sum = 0;
      for (int group : new int[] {3, 4, 5, 6}) {
        sum += Double.parseDouble(m.group(group));
      }
      assertEquals(total, sum, 0.021, "the phases add up to the total (rounded to 0.01 s each): " + line);
      assertTrue(!line.contains("not seen"), "Hazelcast's lifecycle events timed its phases: " + line);
    } finally {
      LOG.removeHandler(capture);
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
