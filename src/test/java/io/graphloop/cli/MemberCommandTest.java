package io.graphloop.cli;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code graphloop member}'s command line: the plan it makes (roles, graphs, nodes, cluster options) and its
 * errors, without starting a cluster (the cluster itself is {@code ClusterIT}'s).
 */
class MemberCommandTest {

  private static final GraphCatalog CATALOG = CliGraphs.catalog();

  private static MemberCommand.Plan plan(String... args) {
    return MemberCommand.plan(args, CATALOG);
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> plan(args)).getMessage();
  }

  @Test
  void aWorkerHostsTheNamedNodesAndCoordinatesNothing() {
    MemberCommand.Plan plan = plan("--role", "worker", "--graphs", "seed", "--nodes", "llm,db");
    CompiledGraph seed = plan.graphs().get(0);
    GraphRuntimeOptions options = plan.optionsFor(seed);
    assertFalse(options.isCoordinator());
    assertEquals(List.of("llm", "db"), options.getNodes());
    assertTrue(plan.readyLine().startsWith("member ready role=worker graphs=seed nodes=llm,db pid="),
        plan.readyLine());
  }

  @Test
  void liteMemberJoinsWithoutClusterData() {
    assertTrue(plan("--role", "worker", "--graphs", "seed", "--lite-member").cluster().isLiteMember());
    assertFalse(plan("--role", "worker", "--graphs", "seed").cluster().isLiteMember(), "data member by default");
  }

  @Test
  void aCoordinatorHostsNoNode() {
    MemberCommand.Plan plan = plan("--role", "coordinator", "--graphs", "seed,chain");
    for (CompiledGraph graph : plan.graphs()) {
      GraphRuntimeOptions options = plan.optionsFor(graph);
      assertTrue(options.isCoordinator());
      assertEquals(List.of(), options.getNodes());
    }
    assertTrue(plan.readyLine().startsWith("member ready role=coordinator graphs=seed,chain nodes=none"));
  }

  @Test
  void bothIsTheDefaultRoleAndHostsEveryNode() {
    MemberCommand.Plan plan = plan("--graphs", "failover");
    GraphRuntimeOptions options = plan.optionsFor(plan.graphs().get(0));
    assertTrue(options.isCoordinator());
    assertNull(options.getNodes());
    assertTrue(plan.readyLine().contains("role=both graphs=failover nodes=all"), plan.readyLine());
  }

  @Test
  void clusterOptionsComeFromTheCommandLine() {
    MemberCommand.Plan plan = plan("--graphs", "seed", "--cluster-config", "x.xml", "--host", "127.0.0.1",
        "--cluster-port", "5799", "--cluster-members", "127.0.0.1:5701,127.0.0.1:5799");
    assertEquals("x.xml", plan.cluster().getClusterConfig());
    assertEquals("127.0.0.1", plan.cluster().getHost());
    assertEquals(5799, plan.cluster().getPort());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5799"), plan.cluster().getMembers());
    assertFalse(plan.cluster().isLiteMember());
  }

  @Test
  void busTlsNamesAFileOfTlsOptionsAndItsMistakesAreClear(@TempDir Path dir) throws Exception {
    String missing = error("--graphs", "seed", "--bus-tls", dir.resolve("nope.json").toString());
    assertTrue(missing.contains("--bus-tls names") && missing.contains("nope.json") && missing.contains("not a file"),
        missing);
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{keyStore");
    String bad = error("--graphs", "seed", "--bus-tls", notJson.toString());
    assertTrue(bad.contains("bad.json") && bad.contains("not a JSON object"), bad);
    Path unknownField = Files.writeString(dir.resolve("field.json"), "{\"keystore\": \"m.p12\"}");
    String field = error("--graphs", "seed", "--bus-tls", unknownField.toString());
    assertTrue(field.contains("field.json") && field.contains("Unknown field 'keystore'"), field);
    Path good = Files.writeString(dir.resolve("tls.json"), "{\"keyStore\": \"m.p12\", \"keyStorePassword\": \"pw\","
        + " \"trustCert\": \"ca.pem\", \"handshakeTimeoutMs\": 1234}");
    MemberCommand.Plan plan = plan("--graphs", "seed", "--bus-tls", good.toString());
    assertEquals("m.p12", plan.cluster().getEventBusTls().toJson().getString("keyStore"));
    assertEquals(1234, plan.cluster().getEventBusTls().getHandshakeTimeoutMs());
  }

  @Test
  void anUnknownGraphFailsListingTheKnownOnes() {
    String message = error("--graphs", "seed,nope");
    assertTrue(message.contains("Unknown graph 'nope'")
        && message.contains("agent, approval, chain, chat, crash, failover, map-reduce, research, seed"), message);
  }

  @Test
  void graphsAreRequired() {
    String message = error("--role", "worker");
    assertTrue(message.contains("member needs --graphs") && message.contains("Known graphs: agent, approval, chain"), message);
  }

  @Test
  void anUnknownRoleFailsNamingTheRoles() {
    String message = error("--role", "boss", "--graphs", "seed");
    assertTrue(message.contains("Unknown role 'boss'") && message.contains("coordinator")
        && message.contains("worker") && message.contains("both"), message);
  }

  @Test
  void anUnknownNodeFailsListingTheGraphsNodes() {
    String message = error("--role", "worker", "--graphs", "seed", "--nodes", "llm,gpu");
    assertTrue(message.contains("Unknown node 'gpu'") && message.contains("db, llm, start"), message);
  }

  @Test
  void nodesOfNoneOfAGraphsNodesFail() {
    String message = error("--role", "worker", "--graphs", "seed,chain", "--nodes", "llm");
    assertTrue(message.contains("names no node of graph 'chain'"), message);
  }

  @Test
  void aCoordinatorTakesNoNodes() {
    String message = error("--role", "coordinator", "--graphs", "seed", "--nodes", "llm");
    assertTrue(message.contains("a coordinator hosts none"), message);
  }

  @Test
  void badOptionsFailSayingWhatIsWrong() {
    // picocli's messages
    assertTrue(error("--graphs", "seed", "--frobnicate").contains("Unknown option: '--frobnicate'"));
    assertTrue(error("--graphs").contains("Missing required parameter for option '--graphs'"));
    assertTrue(error("--graphs", "seed", "--graphs", "chain").contains("should be specified only once"));
    assertTrue(error("--graphs", "seed,,chain").contains("without empty items"));
    assertTrue(error("--graphs", "seed", "--cluster-port", "70000").contains("from 1 to 65535"));
  }

  @Test
  void coordinatorsKeepThreadsInTheSharedStoreOfCheckpointer() {
    MemberCommand.Plan plan = plan("--role", "coordinator", "--graphs", "crash", "--checkpointer",
        "{\"type\":\"postgres\",\"host\":\"db\",\"port\":5433,\"database\":\"g\",\"user\":\"u\"}");
    JsonObject store = plan.optionsFor(plan.graphs().get(0)).getCheckpointer();
    assertEquals(new JsonObject().put("type", "postgres").put("host", "db").put("port", 5433).put("database", "g")
        .put("user", "u"), store);
    assertTrue(plan.readyLine().contains("role=coordinator graphs=crash nodes=none checkpointer=postgres pid="),
        plan.readyLine());
    assertNull(plan.storeWarning(), "a shared store needs no warning");
    assertNull(plan("--graphs", "crash").optionsFor(plan.graphs().get(0)).getCheckpointer());
    assertFalse(plan("--graphs", "crash").readyLine().contains("checkpointer"));
  }

  @Test
  void theConfFilesCheckpointerIsUsedUnlessCheckpointerIsGiven(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("graphloop.json");
    Files.writeString(conf, "{\"runtime\": {\"checkpointer\": {\"type\": \"postgres\", \"host\": \"from-file\"}}}");
    MemberCommand.Plan fromFile = plan("--graphs", "crash", "--conf", conf.toString());
    assertEquals("from-file", fromFile.optionsFor(fromFile.graphs().get(0)).getCheckpointer().getString("host"));
    MemberCommand.Plan overridden = plan("--graphs", "crash", "--conf", conf.toString(), "--checkpointer",
        "{\"type\":\"postgres\",\"host\":\"from-option\"}");
    assertEquals("from-option", overridden.optionsFor(overridden.graphs().get(0)).getCheckpointer()
        .getString("host"));
    MemberCommand.Plan worker = plan("--role", "worker", "--graphs", "crash", "--conf", conf.toString());
    assertNull(worker.optionsFor(worker.graphs().get(0)).getCheckpointer(), "a worker keeps no thread");
    assertFalse(worker.readyLine().contains("checkpointer"), worker.readyLine());

    Files.writeString(conf, "{\"runtime\": {\"checkpointer\": {\"type\": \"redis\"}}}");
    String message = error("--graphs", "crash", "--conf", conf.toString());
    assertTrue(message.startsWith("Bad checkpoint store in runtime.checkpointer of " + conf + ", environment "
        + "GRAPHLOOP_RUNTIME_*, system properties graphloop.runtime.*: Field 'type' of checkpoint store options must "
        + "be memory, sqlite or postgres, was \"redis\""), message);
  }

  @Test
  void memberReadsAYamlConfigurationFile(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("graphloop.yaml"), String.join("\n",
        "runtime:",
        "  nodeTimeoutMs: 2345",
        "  checkpointer: {type: postgres, host: from-yaml, port: 5433}",
        ""));
    MemberCommand.Plan plan = plan("--graphs", "crash", "--conf", conf.toString());
    GraphRuntimeOptions options = plan.optionsFor(plan.graphs().get(0));
    assertEquals(2345, options.getNodeTimeoutMs());
    assertEquals("from-yaml", options.getCheckpointer().getString("host"));
    assertEquals(5433, options.getCheckpointer().getInteger("port"));
    Files.writeString(conf, "runtime:\n\tnodeTimeoutMs: 1\n"); // a tab indents: YAML forbids it
    String message = error("--graphs", "crash", "--conf", conf.toString());
    assertTrue(message.contains("Configuration file " + conf + " is not valid YAML"), message);
  }

  @Test
  void aStoreOfOneMemberIsAcceptedWithAWarning() {
    MemberCommand.Plan plan = plan("--graphs", "crash", "--checkpointer", "{\"type\":\"sqlite\",\"dataDir\":\"d\"}");
    assertEquals("sqlite", plan.storeType());
    assertTrue(plan.storeWarning().contains("checkpointer type 'sqlite' keeps the threads in this member only"),
        plan.storeWarning());
  }

  @Test
  void badCheckpointersFailSayingWhatIsWrong() {
    String message = error("--role", "worker", "--graphs", "crash", "--checkpointer", "{\"type\":\"memory\"}");
    assertTrue(message.contains("--checkpointer is the coordinators' store of threads; a worker keeps none"),
        message);
    message = error("--graphs", "crash", "--checkpointer", "postgres");
    assertTrue(message.startsWith("--checkpointer takes the store's options as a JSON object, e.g. --checkpointer "
        + "'{\"type\":\"postgres\""), message);
    message = error("--graphs", "crash", "--checkpointer", "[1]");
    assertTrue(message.startsWith("--checkpointer takes the store's options as a JSON object"), message);
    message = error("--graphs", "crash", "--checkpointer", "{\"type\":\"redis\"}");
    assertTrue(message.startsWith("Bad checkpoint store in --checkpointer: Field 'type' of checkpoint store options "
        + "must be memory, sqlite or postgres, was \"redis\""), message);
    message = error("--graphs", "crash", "--checkpointer", "{\"type\":\"postgres\",\"port\":\"5432\"}");
    assertTrue(message.startsWith("Bad checkpoint store in --checkpointer: Field 'port' of PostgreSQL store "
        + "options"), message);
  }

  @Test
  void mainPrintsTheErrorAndTheUsageAndReturns2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"member", "--role", "boss", "--graphs", "seed"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(text.contains("Unknown role 'boss'") && text.contains("Usage: graphloop member"), text);
  }
}
