package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.cluster.RegistrationInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a coordinator picks the member of a node's request ({@link NodeMembers}, {@link NodeTransport}). */
class NodeMembersTest {

  @Test
  void membersAreTheDistinctLivingMembersWithAClusteredRegistration() {
    NodeMembers.Members members = NodeMembers.Members.of(List.of(new RegistrationInfo("b", 1, false),
        new RegistrationInfo("a", 2, false), new RegistrationInfo("a", 3, false), new RegistrationInfo("c", 4, true),
        new RegistrationInfo("gone", 5, false)), List.of("a", "b", "c"));
    assertEquals(List.of("a", "b"), List.of(members.ids));
    assertEquals(0, NodeMembers.Members.of(null, List.of("a")).ids.length);
  }

  @Test
  void membersTakeTurnsAndAMemberThatFailedTheTaskIsSkippedWhileAnotherHostsTheNode() {
    NodeMembers.Members members = NodeMembers.Members.ofIds("a", "b", "c");
    List<String> turns = new ArrayList<>();
    for (int turn = 0; turn < 6; turn++) {
      turns.add(members.ids[members.pick(turn, null, 0)]);
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c"), turns, "round robin over the members");
    for (int turn = 0; turn < 6; turn++) {
      String picked = members.ids[members.pick(turn, new String[] {"b", null}, 1)];
      assertTrue(!picked.equals("b"), "turn " + turn + " went to the member that failed: " + picked);
    }
    for (int turn = -3; turn < 6; turn++) {
      assertEquals("c", members.ids[members.pick(turn, new String[] {"a", "b"}, 2)], "only c is left");
    }
    // every member failed the task: they are tried again in turn
    assertEquals("b", members.ids[members.pick(1, new String[] {"a", "b", "c"}, 3)]);
    assertEquals(-1, NodeMembers.Members.NONE.pick(0, null, 0), "no member hosts the node");
  }

  @Test
  void aQuarantinedMemberIsSkippedByEveryTaskWhileAnotherIsNot() throws Exception {
    NodeMembers health = new NodeMembers(null);
    NodeMembers.Members members = NodeMembers.Members.ofIds("a", "b", "c");
    health.quarantine("b", 60_000);
    for (int turn = 0; turn < 6; turn++) {
      String picked = members.ids[members.pick(turn, null, 0, health)];
      assertTrue(!picked.equals("b"), "turn " + turn + " went to the quarantined member");
    }
    // a task that failed at a and c (say they were slow) goes back to one of them, not to the quarantined b
    for (int turn = 0; turn < 6; turn++) {
      String picked = members.ids[members.pick(turn, new String[] {"a", "c"}, 2, health)];
      assertTrue(!picked.equals("b"), "turn " + turn + " went to the quarantined member");
    }
    // every member quarantined: the first the task has not failed at, in turn
    health.quarantine("a", 60_000);
    health.quarantine("c", 60_000);
    assertEquals("c", members.ids[members.pick(1, new String[] {"b"}, 1, health)]);
    assertEquals("b", members.ids[members.pick(1, null, 0, health)]);
    // an answer lifts the quarantine at once
    health.answered("a");
    health.answered("c");
    for (int turn = 0; turn < 6; turn++) {
      assertTrue(!members.ids[members.pick(turn, null, 0, health)].equals("b"));
    }
    health.answered("b");
    assertEquals("b", members.ids[members.pick(1, null, 0, health)]);
    // when its time has passed, one request probes it while the others still avoid it; the probe's answer lifts it
    health.quarantine("b", 300);
    Thread.sleep(350); // the JUnit thread
    assertFalse(health.isQuarantined("b"), "the probe");
    assertTrue(health.isQuarantined("b"), "the others, while the probe is out");
    assertTrue(health.isQuarantined("b"));
    health.answered("b");
    assertFalse(health.isQuarantined("b"));
    // a probe that fails renews it
    health.quarantine("b", 300);
    Thread.sleep(350);
    assertFalse(health.isQuarantined("b"), "the probe");
    health.quarantine("b", 60_000);
    Thread.sleep(5);
    assertTrue(health.isQuarantined("b"));
    health.answered("b");
    // a time of 0 quarantines nothing
    health.quarantine("b", 0);
    assertFalse(health.isQuarantined("b"));
  }

  @Test
  void onlyNoAnswerOrNoConnectionQuarantinesAMember() {
    assertTrue(NodeTransport.isMembersFailure(new ReplyException(ReplyFailure.TIMEOUT, "no answer")));
    assertTrue(NodeTransport.isMembersFailure(new javax.net.ssl.SSLHandshakeException("refused")));
    assertTrue(NodeTransport.isMembersFailure(new java.net.ConnectException("refused")));
    assertFalse(NodeTransport.isMembersFailure(new ReplyException(ReplyFailure.NO_HANDLERS, "gone")),
        "no listener of this node there: the member may serve others");
    assertFalse(NodeTransport.isMembersFailure(new GraphloopException(FailureCode.UNKNOWN_TARGET,
        "No instance of x is running on this member.", "g", "r", 1, "n", null)));
    assertFalse(NodeTransport.isMembersFailure(new NodeTimeoutException("g", "r", 1, "n", 1, 2, 100)),
        "a node that kept its own deadline answered");
  }

  @Test
  void onlyFailuresOnTheWayCountAsTheMembersFailure() {
    assertTrue(NodeTransport.isTransportFailure(new ReplyException(ReplyFailure.TIMEOUT, "no answer")));
    assertTrue(NodeTransport.isTransportFailure(new ReplyException(ReplyFailure.NO_HANDLERS, "gone")));
    assertTrue(NodeTransport.isTransportFailure(new javax.net.ssl.SSLHandshakeException("refused")));
    assertTrue(NodeTransport.isTransportFailure(new java.net.ConnectException("refused")));
    assertTrue(NodeTransport.isTransportFailure(new GraphloopException(FailureCode.UNKNOWN_TARGET,
        "No instance of x is running on this member.", "g", "r", 1, "n", null)));
    assertFalse(NodeTransport.isTransportFailure(new NodeFailedException("g", "r", 1, "n", 1, 2,
        new IllegalStateException("the node's own"))));
    assertFalse(NodeTransport.isTransportFailure(new NodeTimeoutException("g", "r", 1, "n", 1, 2, 100)),
        "a node that kept its own deadline answered");
  }
}
