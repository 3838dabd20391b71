package io.graphloop.agents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link FakeChatServer} answers when no scripted reply is queued: a small deterministic "model" good enough for
 * a ReAct loop. After a tool result it answers {@code "The answer is <result>."}; when the last user message asks for
 * a sum or a product of two numbers ({@code "What is 6 times 7?"}, {@code "add 2 and 3"}, {@code "2 + 3"}) and the
 * request offers a matching tool ({@code add} / {@code multiply}), it calls it; otherwise it echoes
 * {@code "You said: <text>"}.
 *
 * <p>Stateless and thread-safe.
 */
final class FakeResponder {

  private static final Pattern NUMBERS = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\D+?(-?\\d+(?:\\.\\d+)?)");

  private FakeResponder() {
  }

  static FakeReply answer(JsonObject request, int callNumber) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    if (messages.isEmpty()) {
      return FakeReply.text("Hello.");
    }
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    if ("tool".equals(last.getString("role"))) {
      return FakeReply.text("The answer is " + text(last.getValue("content")) + ".");
    }
    String text = text(last.getValue("content"));
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    String tool = lower.contains("times") || lower.contains("multipl") || lower.contains("*") || lower.contains("product")
        ? "multiply" : lower.contains("plus") || lower.contains("add") || lower.contains("+") || lower.contains("sum")
        ? "add" : null;
    Matcher numbers = NUMBERS.matcher(text);
    if (tool != null && offers(request, tool) && numbers.find()) {
      return FakeReply.toolCalls(new ToolCall("call_" + callNumber, tool,
          Map.of("a", number(numbers.group(1)), "b", number(numbers.group(2)))));
    }
    return FakeReply.text("You said: " + text);
  }

  private static boolean offers(JsonObject request, String tool) {
    for (Object entry : request.getJsonArray("tools", new JsonArray())) {
      if (entry instanceof JsonObject t && tool.equals(t.getJsonObject("function", new JsonObject()).getString("name"))) {
        return true;
      }
    }
    return false;
  }

  private static Object number(String text) {
    return text.contains(".") ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
  }

  private static String text(Object content) {
    if (content instanceof JsonArray blocks) {
      return Contents.text(blocks.getList());
    }
    return content == null ? "" : String.valueOf(content);
  }

  static List<String> tokens(String text) {
    List<String> tokens = new java.util.ArrayList<>();
    Matcher word = Pattern.compile("\\S+\\s*|\\s+").matcher(text);
    while (word.find()) {
      tokens.add(word.group());
    }
    return tokens;
  }
}
