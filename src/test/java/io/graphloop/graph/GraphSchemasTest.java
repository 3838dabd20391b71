package io.graphloop.graph;

import io.graphloop.agents.AiMessage;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.examples.AgentExample;
import io.graphloop.func.Entrypoint;
import io.graphloop.state.Append;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GraphSchemas} for each kind of graph: typed (its record's component types, compared with LangGraph 1.2.12's
 * {@code get_input_jsonschema()} for the equivalent {@code TypedDict}: {@code graph_schemas.py}, its output in
 * {@code graph_schemas.json}, without {@code required} and the docstrings), typed with an input record, untyped (by
 * channel kind, open-ended), a chat (messages: LangChain's message objects), the ReAct agent and an entrypoint.
 */
class GraphSchemasTest {

  enum Mood { CALM, BUSY }

  record Place(String city, Integer zip_code) {
  }

  record Research(String topic, Integer count, Double ratio, Boolean done, @Append List<String> notes,
                  Map<String, Double> scores, Object anything, Mood mood, Place place) {
  }

  record Question(String topic) {
  }

  record Chat(List<Message> messages, AiMessage last, Research research) {
  }

  record Tree(String label, List<Tree> children) {
  }

  private static final Map<String, Object> NOTHING = Map.of();

  private static JsonObject expected(String name) throws IOException {
    try (InputStream in = GraphSchemasTest.class.getResourceAsStream("/langgraph/graph_schemas.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject(name);
    }
  }

  /** {@code json} without the keys Graphloop leaves out: {@code required} (any input key may be missing), docs. */
  private static Object withoutRequired(Object json) {
    if (json instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> {
        if (!e.getKey().equals("required") && !e.getKey().equals("description")) {
          copy.put(e.getKey(), withoutRequired(e.getValue()));
        }
      });
      return copy;
    }
    if (json instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(value -> copy.add(withoutRequired(value)));
      return copy;
    }
    return json;
  }

  private static List<String> refs(JsonArray oneOf) {
    return oneOf.stream().map(ref -> JsonObject.mapFrom(ref).getString("$ref")).toList();
  }

  private static CompiledGraph research() {
    return StateGraph.typed(Research.class)
        .addNode("n", state -> Future.succeededFuture(null))
        .addEdge(START, "n").addEdge("n", END).compile();
  }

  @Test
  void aTypedGraphsSchemasAreItsRecordsAsLangGraphGivesTheEquivalentTypedDict() throws IOException {
    CompiledGraph graph = research();
    assertEquals(withoutRequired(expected("research_input")), GraphSchemas.input(graph));
    assertEquals(withoutRequired(expected("research_output")), GraphSchemas.output(graph));
    assertEquals(GraphSchemas.output(graph), GraphSchemas.state(graph));
  }

  @Test
  void aTypedGraphsInputRecordIsItsInputSchema() throws IOException {
    CompiledGraph graph = StateGraph.typed(Research.class).inputType(Question.class)
        .addNode("n", state -> Future.succeededFuture(null))
        .addEdge(START, "n").addEdge("n", END).compile();
    assertEquals(withoutRequired(expected("question_input")), GraphSchemas.input(graph));
    assertEquals("Research", GraphSchemas.output(graph).getString("title"));
    assertEquals(9, GraphSchemas.output(graph).getJsonObject("properties").size());
  }

  @Test
  void messagesAreArraysOfLangChainMessageObjects() throws IOException {
    CompiledGraph graph = StateGraph.typed(Chat.class)
        .addNode("n", state -> Future.succeededFuture(null))
        .addEdge(START, "n").addEdge("n", END).compile();
    JsonObject input = GraphSchemas.input(graph);
    JsonObject expected = expected("chat_input");
    JsonObject messages = input.getJsonObject("properties").getJsonObject("messages");
    assertEquals("array", messages.getString("type"));
    assertEquals("Messages", messages.getString("title"));
    List<String> refs = refs(messages.getJsonObject("items").getJsonArray("oneOf"));
    assertEquals(List.of("#/$defs/AIMessage", "#/$defs/HumanMessage", "#/$defs/SystemMessage", "#/$defs/ToolMessage"),
        refs);
    assertTrue(refs(expected.getJsonObject("properties").getJsonObject("messages").getJsonObject("items")
        .getJsonArray("oneOf")).containsAll(refs), "each message type is one LangGraph lists");
    JsonObject defs = input.getJsonObject("$defs");
    JsonObject langGraphDefs = expected.getJsonObject("$defs");
    for (String type : List.of("HumanMessage", "SystemMessage", "ToolMessage", "ToolCall")) {
      assertEquals(withoutRequired(langGraphDefs.getJsonObject(type)), withoutRequired(defs.getJsonObject(type)), type);
      assertEquals(langGraphDefs.getJsonObject(type).getJsonArray("required"), defs.getJsonObject(type)
          .getJsonArray("required"), type + ": a message's own required fields are LangChain's");
    }
    assertEquals(langGraphDefs.getJsonObject("AIMessage").getJsonObject("properties").fieldNames(),
        defs.getJsonObject("AIMessage").getJsonObject("properties").fieldNames());
    JsonObject last = input.getJsonObject("properties").getJsonObject("last");
    assertEquals(4, last.getJsonArray("oneOf").size(), "a single message is one of the four: " + last);
    assertEquals("#/$defs/Research", input.getJsonObject("properties").getJsonObject("research").getString("$ref"));
    assertTrue(defs.containsKey("Research") && defs.containsKey("Place") && defs.containsKey("Mood"), defs.encode());
  }

  @Test
  void aRecordThatContainsItselfIsDefinedOnce() {
    record Forest(Tree tree) {
    }
    CompiledGraph graph = StateGraph.typed(Forest.class)
        .addNode("n", state -> Future.succeededFuture(null))
        .addEdge(START, "n").addEdge("n", END).compile();
    JsonObject tree = GraphSchemas.input(graph).getJsonObject("$defs").getJsonObject("Tree");
    assertEquals(new JsonObject().put("items", new JsonObject().put("$ref", "#/$defs/Tree")).put("type", "array")
        .put("title", "Children"), tree.getJsonObject("properties").getJsonObject("children"));
  }

  @Test
  void anUntypedGraphsChannelsAreTypedByTheirKindAndItTakesOtherKeys() {
    CompiledGraph graph = new StateGraph("untyped")
        .channel("notes", Channels.append())
        .channel("messages", Channels.messages())
        .channel("total", Channels.reducer((a, b) -> ((Number) a).longValue() + ((Number) b).longValue(), 0))
        .channel("topic", Channels.lastValue())
        .channel("merged", Channels.reducer((a, b) -> b))
        .addNode("n", state -> Future.succeededFuture(NOTHING))
        .addEdge(START, "n").addEdge("n", END).compile();
    JsonObject input = GraphSchemas.input(graph);
    assertEquals("untyped", input.getString("title"));
    assertEquals(true, input.getBoolean("additionalProperties"), "a graph that is not strict takes any key");
    JsonObject properties = input.getJsonObject("properties");
    assertEquals(List.of("notes", "messages", "total", "topic", "merged"), List.copyOf(properties.fieldNames()));
    assertEquals(new JsonObject().put("items", new JsonObject()).put("type", "array").put("title", "Notes"),
        properties.getJsonObject("notes"));
    assertEquals("array", properties.getJsonObject("messages").getString("type"));
    assertTrue(input.getJsonObject("$defs").containsKey("HumanMessage"));
    assertEquals(new JsonObject().put("type", "integer").put("default", 0).put("title", "Total"),
        properties.getJsonObject("total"));
    assertEquals(new JsonObject().put("title", "Topic"), properties.getJsonObject("topic"), "any JSON value");
    assertEquals(new JsonObject().put("title", "Merged"), properties.getJsonObject("merged"));
  }

  @Test
  void aStrictGraphWithInputKeysOffersOnlyThose() {
    CompiledGraph graph = new StateGraph("strict").channel("question", Channels.lastValue())
        .channel("answer", Channels.lastValue()).strictChannels().inputKeys("question")
        .addNode("n", state -> Future.succeededFuture(NOTHING))
        .addEdge(START, "n").addEdge("n", END).compile();
    JsonObject input = GraphSchemas.input(graph);
    assertEquals(Set.of("question"), input.getJsonObject("properties").fieldNames());
    assertNull(input.getValue("additionalProperties"));
    assertEquals(Set.of("question", "answer"), GraphSchemas.output(graph).getJsonObject("properties").fieldNames());
    assertFalse(GraphSchemas.output(graph).containsKey("additionalProperties"));
  }

  @Test
  void theAgentTakesMessages() {
    CompiledGraph graph = AgentExample.graph(new OpenAiOptions().setBaseUrl("http://127.0.0.1:1/v1"));
    JsonObject properties = GraphSchemas.input(graph).getJsonObject("properties");
    assertEquals(Set.of("messages"), properties.fieldNames());
    assertEquals("array", properties.getJsonObject("messages").getString("type"));
  }

  @Test
  void anEntrypointsSchemaIsItsThreeChannels() {
    CompiledGraph graph = Entrypoint.<Object, Object>of("workflow", (x, ctx) -> Future.succeededFuture(x)).compile();
    JsonObject input = GraphSchemas.input(graph);
    assertEquals(Set.of(Entrypoint.INPUT, Entrypoint.OUTPUT, Entrypoint.PREVIOUS),
        input.getJsonObject("properties").fieldNames());
    assertEquals("workflow", input.getString("title"));
  }

  @Test
  void titlesAreThoseOfPydantic() {
    assertEquals("Tool Calls", GraphSchemas.title("tool_calls"));
    assertEquals("Delayms", GraphSchemas.title("delayMs"));
    assertEquals("Zip Code", GraphSchemas.title("zip_code"));
    assertEquals("A1B", GraphSchemas.title("a1b"));
  }

  @Test
  void theConfigSchemaTakesAnyConfigurableKey() {
    JsonObject config = GraphSchemas.config(research());
    assertEquals("object", config.getString("type"));
    assertEquals(true, config.getBoolean("additionalProperties"));
  }
}
