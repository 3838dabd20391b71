package io.graphloop.cli;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntimeOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  private static final GraphCatalog CATALOG = GraphCatalog.load();

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
  void anUnknownGraphFailsListingTheKnownOnes() {
    String message = error("--graphs", "seed,nope");
    assertTrue(message.contains("Unknown graph 'nope'") && message.contains("chain, failover, map-reduce, seed"),
        message);
  }

  @Test
  void graphsAreRequired() {
    String message = error("--role", "worker");
    assertTrue(message.contains("member needs --graphs") && message.contains("Known graphs: chain"), message);
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
    assertTrue(error("--graphs", "seed", "--frobnicate").contains("Unknown option '--frobnicate' for member; it "
        + "takes --cluster-config, --cluster-members, --cluster-port, --conf, --graphs, --host, --nodes, --role."));
    assertTrue(error("--graphs").contains("Option --graphs of member needs a value"));
    assertTrue(error("--graphs", "seed", "--graphs", "chain").contains("given twice"));
    assertTrue(error("--graphs", "seed,,chain").contains("without empty items"));
    assertTrue(error("--graphs", "seed", "--cluster-port", "70000").contains("from 1 to 65535"));
  }

  @Test
  void mainPrintsTheErrorAndTheUsageAndReturns2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"member", "--role", "boss", "--graphs", "seed"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(text.contains("Unknown role 'boss'") && text.contains("Usage: java -jar graphloop.jar member"), text);
  }
}
