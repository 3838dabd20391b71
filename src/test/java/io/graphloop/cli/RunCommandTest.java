package io.graphloop.cli;

import io.graphloop.run.Durability;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code graphloop run}: its command line, and runs of the built-in graphs in this JVM (run from the JUnit thread,
 * not a Vert.x thread). Runs on a cluster ({@code --cluster}) are {@code ClusterIT}'s.
 */
@Timeout(value = 60)
class RunCommandTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private JsonObject printedState() {
    List<String> lines = outBytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    return new JsonObject(lines.get(0));
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsTheChainHereAndPrintsTheFinalState() {
    assertEquals(0, run("run", "--graph", "chain", "--input", "{\"count\":0}"), err());
    assertEquals(100, printedState().getInteger("count"));
  }

  @Test
  void theFailoverGraphTracesOneEntryPerStep() {
    assertEquals(0, run("run", "--graph", "failover", "--input", "{\"x\":20,\"delayMs\":0}"), err());
    JsonObject state = printedState();
    assertEquals(41, state.getInteger("result"));
    assertEquals(2, state.getJsonArray("trace").size());
    JsonObject first = state.getJsonArray("trace").getJsonObject(0);
    assertEquals("double", first.getString("node"));
    assertEquals(ProcessHandle.current().pid(), first.getLong("member"));
    assertEquals(1, first.getInteger("attempt"));
  }

  @Test
  void aTimeoutOfLongMaxValueMeansNoDeadline() {
    assertEquals(0, run("run", "--graph", "chain", "--input", "{\"count\":0}", "--timeout-ms",
        String.valueOf(Long.MAX_VALUE)), err());
    assertEquals(100, printedState().getInteger("count"));
    assertEquals(Long.MAX_VALUE / 1000, RunCommand.waitSeconds(Long.MAX_VALUE), "saturated, not wrapped negative");
    assertEquals(Long.MAX_VALUE / 1000, RunCommand.waitSeconds(Long.MAX_VALUE - 1));
    assertEquals(67, RunCommand.waitSeconds(60_000));
  }

  @Test
  void aFailedRunReturns1WithItsCode() {
    assertEquals(1, run("run", "--graph", "seed", "--input", "{\"query\":\"hi\"}", "--timeout-ms", "100",
        "--progress", "off"), "the seed's nodes take 2 s: a 100 ms deadline cannot be met");
    assertTrue(err().startsWith("run failed (504 TIMEOUT): "), err());
  }

  @Test
  void progressShowsEachNodeAsItStartsAndEndsOnePlainLinePerEventOnStderr() {
    assertEquals(0, run("run", "--graph", "seed-fast", "--input", "{\"query\":\"hi\"}"), err());
    assertEquals("LLM answer for: hi", printedState().getString("llm_result"), "stdout is still the state alone");
    List<String> lines = err().lines().toList();
    assertEquals(6, lines.size(), err());
    assertEquals("step 1 · start · started", lines.get(0));
    assertTrue(lines.get(1).matches("step 1 · start · done in [0-9.]+ (ms|s)"), lines.get(1));
    List<String> parallel = lines.subList(2, 6);
    for (String node : List.of("llm", "db")) {
      int started = parallel.indexOf("step 2 · " + node + " · started");
      int done = -1;
      for (int i = 0; i < parallel.size(); i++) {
        if (parallel.get(i).matches("step 2 · " + node + " · done in [0-9.]+ (ms|s)")) {
          done = i;
        }
      }
      assertTrue(started >= 0 && done > started, node + " starts, then ends: " + lines);
    }
  }

  @Test
  void progressOfARunThatFailsEndsWithTheFailureAndOffShowsNothing() {
    assertEquals(1, run("run", "--graph", "seed", "--input", "{\"query\":\"hi\"}", "--timeout-ms", "300"));
    List<String> lines = err().lines().toList();
    assertTrue(lines.contains("step 2 · llm · started") && lines.contains("step 2 · db · started"), err());
    assertTrue(lines.get(lines.size() - 1).startsWith("run failed (504 TIMEOUT): "), err());
    errBytes.reset();
    outBytes.reset();
    assertEquals(0, run("run", "--graph", "seed-fast", "--input", "{\"query\":\"hi\"}", "--progress", "off"));
    assertEquals("", err());
    assertEquals("DB result for: hi", printedState().getString("db_result"));
    errBytes.reset();
    outBytes.reset();
    assertEquals(0, run("run", "--graph", "approval", "--input", "{\"version\":\"2\"}"), err());
    List<String> approval = err().lines().toList();
    assertEquals("step 2 · approve · interrupted, waiting for a person", approval.get(approval.size() - 2), err());
    assertTrue(approval.get(approval.size() - 1).startsWith("run interrupted, waiting for ")
        && approval.get(approval.size() - 1).contains("it ran without a thread"), err());
    errBytes.reset();
    assertEquals(2, run("run", "--graph", "seed-fast", "--progress", "sometimes"));
    assertTrue(err().contains("--progress takes auto"), err());
  }

  @Test
  void anUnknownGraphReturns2ListingTheKnownOnes() {
    assertEquals(2, run("run", "--graph", "nope"));
    assertTrue(err().contains("Unknown graph 'nope'. Known graphs: agent, approval, chain, chat, crash, failover, map-reduce, "
        + "research, seed, seed-fast"), err());
  }

  @Test
  void badArgumentsReturn2SayingWhatIsWrong() {
    assertEquals(2, run("run", "--input", "{}"));
    assertTrue(err().contains("run needs --graph NAME"), err());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunCommand.plan(new String[] {"--graph", "seed",
        "--input", "[1]"})).getMessage().contains("--input takes a JSON object"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunCommand.plan(new String[] {"--graph", "seed",
        "--host", "127.0.0.1"})).getMessage().contains("add --cluster"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunCommand.plan(new String[] {"--graph", "seed",
        "--cluster", "--conf", "conf/graphloop.json"})).getMessage().contains("take their own --conf"));
  }

  @Test
  void aRunOnAThreadGoesOnFromTheThreadsState(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("graphloop.json");
    Files.writeString(conf, new JsonObject().put("runtime", new JsonObject().put("checkpointer", new JsonObject()
        .put("type", "sqlite").put("dataDir", dir.resolve("data").toString()))).encode());
    assertEquals(0, run("run", "--graph", "chain", "--conf", conf.toString(), "--thread", "t1", "--durability", "sync",
        "--input", "{\"count\":0}"), err());
    assertEquals(100, printedState().getInteger("count"));
    outBytes.reset();
    assertEquals(0, run("run", "--graph", "chain", "--conf", conf.toString(), "--thread", "t1"), err());
    assertEquals(200, printedState().getInteger("count"), "the second run starts from the thread's state");
    outBytes.reset();
    assertEquals(0, run("run", "--graph", "chain", "--conf", conf.toString(), "--thread", "t1", "--proceed"), err());
    assertEquals(200, printedState().getInteger("count"), "nothing due: the state, as LangGraph's invoke(None)");
  }

  @Test
  void runReadsAYamlConfigurationFile(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("graphloop.yaml"), "runtime:\n  checkpointer:\n    type: sqlite\n"
        + "    dataDir: '" + dir.resolve("data") + "'\n");
    assertEquals(0, run("run", "--graph", "chain", "--conf", conf.toString(), "--thread", "t1", "--durability", "sync",
        "--input", "{\"count\":0}"), err());
    assertEquals(100, printedState().getInteger("count"));
    outBytes.reset();
    assertEquals(0, run("run", "--graph", "chain", "--conf", conf.toString(), "--thread", "t1"), err());
    assertEquals(200, printedState().getInteger("count"), "the YAML file's SQLite store kept the thread");
    Path limit = Files.writeString(dir.resolve("limit.yml"), "runtime:\n  recursionLimit: 3\n");
    assertEquals(3, RunCommand.plan(new String[] {"--graph", "chain", "--conf", limit.toString()}).runtime()
        .getRecursionLimit());
  }

  @Test
  void threadOptionsAreCheckedSayingWhatIsWrong() {
    RunCommand.Plan plan = RunCommand.plan(new String[] {"--graph", "crash", "--cluster", "--thread", "t1",
        "--proceed", "--durability", "sync", "--timeout-ms", "5000"});
    assertEquals("t1", plan.options().getThreadId());
    assertEquals(Durability.SYNC, plan.options().getDurability());
    assertEquals(5000, plan.options().getTimeoutMs());
    assertTrue(plan.proceed());
    assertNull(RunCommand.plan(new String[] {"--graph", "seed"}).options().getThreadId());
    assertTrue(planError("--graph", "crash", "--cluster", "--proceed").contains(
        "--proceed applies to a run on a thread; add --thread ID."));
    assertTrue(planError("--graph", "crash", "--cluster", "--durability", "sync").contains(
        "--durability applies to a run on a thread"));
    assertTrue(planError("--graph", "crash", "--cluster", "--thread", "t1", "--proceed", "--input", "{}")
        .contains("--proceed continues thread 't1' from its latest checkpoint without input; leave out --input"));
    assertTrue(planError("--graph", "crash", "--cluster", "--thread", "t1", "--durability", "fast").contains(
        "--durability takes sync (each step's checkpoint stored before the next step), async (the default) or "
            + "exit (only at the end); was 'fast'."));
    assertTrue(planError("--graph", "crash", "--thread", "t1").contains("--thread needs a checkpoint store"));
    assertTrue(planError("--graph", "crash", "--cluster", "--thread", " ").contains("not blank"));
  }

  private static String planError(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> RunCommand.plan(args)).getMessage();
  }

  @Test
  void withClusterTheRunJoinsAsALiteMember() {
    RunCommand.Plan plan = RunCommand.plan(new String[] {"--graph", "seed", "--input", "{\"query\":\"hi\"}",
        "--cluster", "--cluster-port", "5790"});
    assertEquals(Map.of("query", "hi"), plan.input());
    assertTrue(plan.cluster().isLiteMember());
    assertEquals(5790, plan.cluster().getPort());
    assertNull(RunCommand.plan(new String[] {"--graph", "seed"}).cluster());
  }
}
