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
