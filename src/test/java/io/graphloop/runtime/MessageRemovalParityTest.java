package io.graphloop.runtime;

import io.graphloop.agents.RemoveMessage;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.map;

/**
 * LangGraph 1.2.12's {@code test_pregel.py::test_remove_message_via_state_update} and
 * {@code test_remove_message_from_node}: a {@code RemoveMessage} written by {@code updateState} or by a node deletes
 * the message with its id from a messages channel ({@code Channels.messages()}, LangGraph's {@code add_messages}).
 * The expected values are src/test/resources/langgraph/message_removal.json, written by message_removal.py beside it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MessageRemovalParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/message_removal.json");

  /** message_removal.py's {@code d}: each message's type and content. */
  private static List<Object> d(Object messages) {
    List<Object> out = new ArrayList<>();
    for (Object m : (List<?>) messages) {
      out.add(map("type", ((Map<?, ?>) m).get("type"), "content", ((Map<?, ?>) m).get("content")));
    }
    return out;
  }

  private static String idOf(Object message) {
    return String.valueOf(((Map<?, ?>) message).get("id"));
  }

  @Test
  void testRemoveMessageViaStateUpdate(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("remove-message-via-update")
        .channel("messages", Channels.messages()).strictChannels()
        .addNode("chatbot", s -> Future.succeededFuture(Map.of("messages",
            List.of(map("type", "ai", "content", "Hello! How can I help you")))))
        .setEntryPoint("chatbot").addEdge("chatbot", END).compile());
    List<?> output = (List<?>) result(client.run(Map.of("messages", List.of(map("type", "human", "content", "Hi"))),
        new RunOptions().setThreadId("1"))).values().get("messages");
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("output", d(output));
    result(client.updateState("1", Map.of("messages",
        List.of(new RemoveMessage(idOf(output.get(output.size() - 1))))), null));
    ThreadState state = result(client.getState("1"));
    actual.put("updated", d(state.values().get("messages")));
    actual.put("next", state.next());
    actual.put("source", state.source().wireName());
    actual.put("step", state.step());
    EXPECTED.check("test_remove_message_via_state_update", actual);
  }

  @Test
  void testRemoveMessageFromNode(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("remove-message-from-node")
        .channel("messages", Channels.messages()).strictChannels()
        .addNode("chatbot", s -> Future.succeededFuture(Map.of("messages", List.of(
            map("type", "ai", "content", "Hello!"), map("type", "ai", "content", "How can I help you?")))))
        .addNode("delete_messages", s -> {
          List<?> messages = (List<?>) s.get("messages");
          return Future.succeededFuture(Map.of("messages",
              List.of(new RemoveMessage(idOf(messages.get(messages.size() - 2))))));
        })
        .setEntryPoint("chatbot").addEdge("chatbot", "delete_messages").addEdge("delete_messages", END).compile());
    Map<String, Object> input = Map.of("messages", List.of(map("type", "human", "content", "Hi")));
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("output", d(result(client.invoke(input)).get("messages")));
    List<Object> updates = new ArrayList<>();
    for (Object chunk : Parity.chunks(vertx, client, input, new RunOptions(), StreamMode.UPDATES)) {
      Map<String, Object> types = new LinkedHashMap<>();
      ((Map<?, ?>) chunk).forEach((node, update) -> {
        List<Object> kinds = new ArrayList<>();
        for (Object m : (List<?>) ((Map<?, ?>) update).get("messages")) {
          kinds.add(((Map<?, ?>) m).get("type"));
        }
        types.put(String.valueOf(node), map("messages", kinds));
      });
      updates.add(types);
    }
    actual.put("updates", updates);
    EXPECTED.check("test_remove_message_from_node", actual);
  }
}
