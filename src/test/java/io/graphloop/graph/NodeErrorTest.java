package io.graphloop.graph;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.RemoteCause;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.state.State;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NodeError}: what an error handler learns, as it is built, stored and sent to a cluster member. */
class NodeErrorTest {

  @Test
  void theContextIsTheNodesOwnExceptionNotTheRunsWrapper() {
    NodeFailedException failure = new NodeFailedException("g", "r", 1, "search", 2, 2,
        new IllegalStateException("search is down"));
    NodeError error = NodeError.of("search", failure, 2);
    assertEquals(new NodeError("search", IllegalStateException.class.getName(), "search is down", 2), error);
    assertTrue(error.isA(IllegalStateException.class));
    assertEquals("Node 'search' failed after 2 attempts: java.lang.IllegalStateException: search is down",
        error.toString());
  }

  @Test
  void aRemoteNodesFailureKeepsItsReportedType() {
    NodeFailedException failure = new NodeFailedException("g", "r", 1, "n", 1, 1,
        new RemoteCause("java.io.IOException", "reset"));
    NodeError error = NodeError.of("n", failure, 1);
    assertTrue(error.isA(java.io.IOException.class), error.toString());
    assertEquals("reset", error.message());
  }

  /** The context crosses the event bus in the handler's request config (a cluster member reads it back whole). */
  @Test
  void theContextSurvivesTheNodeRequestsJson() {
    NodeError error = new NodeError("a", "java.lang.RuntimeException", null, 3);
    NodeRequest request = new NodeRequest("g", "r", 1, "__error_handler__a", 1, 1, 0,
        Map.of(NodeError.CONFIG_KEY, error.toMap(), "user", "x"), null, List.of(), null, 0, 0, List.of(),
        State.empty());
    Map<String, Object> config = NodeRequest.fromJson(request.toJson()).config();
    assertEquals(error, NodeError.fromMap((Map<?, ?>) config.get(NodeError.CONFIG_KEY)));
    assertEquals("x", config.get("user"));
  }

  @Test
  void aMalformedContextIsRefusedSayingWhatItNeeds() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> NodeError.fromMap(Map.of("node", "a", "type", "T")));
    assertTrue(refused.getMessage().contains("a number 'attempts'"), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NodeError("a", "T", null, 0));
  }
}
