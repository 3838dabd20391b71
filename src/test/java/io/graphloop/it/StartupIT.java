package io.graphloop.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 16: a member is ready sooner. Measured in process CPU time to the {@code member ready} line (what a
 * start costs, whatever else the shared machine runs), on the member start path the README documents, each member
 * alone on 127.0.0.1:
 *
 * <ol>
 *   <li>{@code java -jar target/graphloop.jar cds} records the class-data-sharing archive of a member's start (exit 0,
 *       the archive written).</li>
 *   <li>A member started as {@code java -jar target/graphloop.jar member --graphs seed}: its CPU time to ready.</li>
 *   <li>The same member started by the launcher {@code bin/graphloop member --graphs seed}, which adds the archive and
 *       the quick JIT compiler: at least 90% of the classes it loads come from the archive, and it takes at most
 *       {@value #MAX_CPU_RATIO} of the plain start's CPU time (measured 1.3 s against 4.4 s on the 2-core test
 *       machine).</li>
 * </ol>
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class StartupIT {

  private static final long READY_MS = 240_000;
  private static final double MAX_CPU_RATIO = 0.75;

  @Test
  void theLauncherWithTheRecordedArchiveStartsAMemberForLessCpu() throws Exception {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path dir = base.resolve("target/cluster-it");
    Files.createDirectories(dir);
    Path archive = dir.resolve("startup-it.jsa");
    Path cdsLog = dir.resolve("startup-cds.log");
    Process cds = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        DemoJarIT.jar().toAbsolutePath().toString(), "cds", "--archive", archive.toString(), "--timeout", "300")
        .directory(base.toFile()).redirectErrorStream(true).redirectOutput(cdsLog.toFile()).start();
    assertTrue(cds.waitFor(700, TimeUnit.SECONDS), "cds ends");
    String cdsOutput = Files.readString(cdsLog, StandardCharsets.UTF_8);
    assertEquals(0, cds.exitValue(), cdsOutput);
    assertTrue(cdsOutput.contains("cds: wrote " + archive), cdsOutput);
    assertTrue(Files.size(archive) > 10_000_000, "an archive of a member's classes: " + Files.size(archive));

    Duration plain = cpuToReady(MemberProcess.start("startup-plain",
        LoopbackCluster.of(1).memberArgs(0, "--graphs", "seed")));

    Path classLog = dir.resolve("startup-classes.log");
    Files.deleteIfExists(classLog);
    Duration launched = cpuToReady(MemberProcess.launched("startup-launched",
        LoopbackCluster.of(1).memberArgs(0, "--graphs", "seed"), Map.of("GRAPHLOOP_CDS_ARCHIVE", archive.toString(),
            "GRAPHLOOP_JAVA_OPTS", "-Xmx384m -Xlog:class+load=info:file=" + classLog)));
    List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
    long shared = loaded.stream().filter(line -> line.contains("source: shared objects file")).count();
    System.out.printf("StartupIT: a member alone took %.2f s of CPU to ready as java -jar, %.2f s by bin/graphloop "
            + "with the archive (%d of its %d classes from the archive)%n", plain.toMillis() / 1e3,
        launched.toMillis() / 1e3, shared, loaded.size());
    assertTrue(shared >= 0.9 * loaded.size(), shared + " of " + loaded.size() + " classes came from the archive");
    assertTrue(launched.toMillis() <= MAX_CPU_RATIO * plain.toMillis(), "the launcher's start took "
        + launched.toMillis() + " ms of CPU, the plain one " + plain.toMillis() + " ms");
  }

  /** The member's CPU time when it printed its ready line; it is then stopped (SIGTERM). */
  private static Duration cpuToReady(MemberProcess member) throws Exception {
    try {
      member.awaitLine("member ready", READY_MS);
      return member.cpu();
    } finally {
      member.stop(30_000);
    }
  }
}
