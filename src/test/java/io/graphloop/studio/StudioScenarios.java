package io.graphloop.studio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.graphloop.agents.FakeChatServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio page as a user sees it, the same scenarios in each real headless browser (subclasses name it:
 * {@link StudioChromiumIT}, {@link StudioFirefoxIT}): {@code serve} from the fat jar started in a child JVM on
 * 127.0.0.1 (with the example graphs and {@link StudioGraphs}), {@code /studio} loaded, and what the page shows
 * asserted: the graph drawn, a node's options on a click, a run's nodes lighting up live and its steps listed as they
 * stream, tokens, a failing node marked with its error, xray's subgraph blocks, an interrupt answered, a checkpoint
 * edited, forked and replayed. Screenshots of each step land in {@code target/studio-screenshots/<browser>/}. Every
 * wait is bounded ({@link Browser#WAIT}).
 */
@Timeout(value = 360, unit = TimeUnit.SECONDS)
abstract class StudioScenarios {

  static ServeProcess serve;
  /** The {@code agent} graph's model: a scripted OpenAI-compatible server on 127.0.0.1, in this JVM. */
  static Vertx modelVertx;
  static FakeChatServer model;
  Browser browser;

  /** "chromium" or "firefox". */
  abstract String browserName();

  @BeforeAll
  static void serve() throws Exception {
    modelVertx = Vertx.vertx();
    model = FakeChatServer.start(modelVertx, 0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    serve = new ServeProcess(Map.of("OPENAI_BASE_URL", model.baseUrl(), "GRAPHLOOP_MODEL", "fake-studio",
        "OPENAI_API_KEY", "sk-studio-test"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
    if (modelVertx != null) {
      modelVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void browser() throws Exception {
    browser = Browser.start(browserName());
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.close();
    }
  }

  // ---- what the page shows, read with small scripts (the same in every browser) ----

  void openGraph(String graph) {
    browser.open(serve.url() + "/studio?graph=" + graph);
    browser.until("the graph '" + graph + "' is drawn", () -> !nodeNames().isEmpty());
  }

  @SuppressWarnings("unchecked")
  List<String> strings(String script, Object... args) {
    return (List<String>) browser.script(script, args);
  }

  List<String> nodeNames() {
    return strings("return [...document.querySelectorAll('#graph svg g.node[data-node]')].map(n => n.dataset.node)");
  }

  static String nodeCss(String node) {
    return "#graph svg g.node[data-node='" + node + "']";
  }

  String nodeAttribute(String node, String attribute) {
    Object value = browser.script("const e = document.querySelector(arguments[0]);"
        + " return e ? e.getAttribute(arguments[1]) : null", nodeCss(node), attribute);
    return value == null ? "" : value.toString();
  }

  void waitForNode(String node, String state) {
    browser.until("node " + node + " is marked " + state, () -> nodeAttribute(node, "class").contains("gl-" + state));
  }

  String text(String id) {
    Object value = browser.script("const e = document.getElementById(arguments[0]);"
        + " return e ? e.textContent : null", id);
    return value == null ? "" : value.toString().trim();
  }

  String value(String id) {
    return String.valueOf(browser.script("return document.getElementById(arguments[0]).value", id));
  }

  boolean shown(String id) {
    return Boolean.TRUE.equals(browser.script("const e = document.getElementById(arguments[0]);"
        + " return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0", id));
  }

  int count(String css) {
    return ((Number) browser.script("return document.querySelectorAll(arguments[0]).length", css)).intValue();
  }

  String status() {
    return text("run-status");
  }

  void waitForStatus(String status) {
    browser.until("the run's status is " + status, () -> status.equals(status()));
  }

  List<String> events() {
    return strings("return [...document.querySelectorAll('#events li.event')].map(e => e.textContent)");
  }

  /** The node details' option rows, "label: text" by key. */
  String option(String key) {
    Object value = browser.script("const row = document.querySelector(`#node-options tr[data-option='${arguments[0]}']`);"
        + " return row ? row.cells[1].textContent : null", key);
    return value == null ? "" : value.toString();
  }

  void typeInto(String id, String text) {
    browser.type("#" + id, text);
  }

  void run(String input) {
    typeInto("run-input", input);
    browser.click("#run");
  }

  // ---- the scenarios ----

  @Test
  void theGraphIsDrawnFromTheJarWithNoInternet() throws Exception {
    openGraph("seed");
    assertEquals(Set.of("__start__", "start", "llm", "db", "__end__"), Set.copyOf(nodeNames()));
    String labels = text("graph");
    assertTrue(labels.contains("llm") && labels.contains("db") && labels.contains("start"), labels);
    // __start__ -> start, start -> llm, start -> db, llm -> __end__, db -> __end__
    assertEquals(5, count("#graph svg .edgePaths path"));
    browser.screenshot("01-graph");

    browser.click(nodeCss("llm"));
    browser.until("the node's details show", () -> text("node-info").contains("__end__"));
    assertEquals("llm", text("node-name"));
  }

  @Test
  void aClickOnANodeShowsItsOptionsRetryPolicyAndLimits() throws Exception {
    openGraph("guarded");
    browser.click(nodeCss("fetch"));
    browser.until("fetch's options show", () -> "fetch".equals(text("node-name")) && !option("retry").isEmpty());
    assertEquals("async", option("kind"));
    assertEquals("5000 ms", option("timeout"));
    assertTrue(option("retry").startsWith("3 attempts, first wait 10 ms, backoff x2"), option("retry"));
    assertEquals("at most 4 at once, 50 queued", option("limits"));
    assertTrue(text("node-info").contains("check"), "its edges: " + text("node-info"));
    browser.screenshot("02-node-options");

    browser.click(nodeCss("check"));
    browser.until("check's options show", () -> "check".equals(text("node-name")));
    assertEquals("none (1 attempt)", option("retry"));
    assertEquals("the deployment's default", option("timeout"));
    assertEquals("no concurrency limit", option("limits"));
  }

  @Test
  void aRunLightsUpItsNodesLiveAndListsWhatEachStepWrote() throws Exception {
    openGraph("seed");
    run("{\"query\": \"from the browser\"}");
    // llm and db wait 2 s each, in parallel: the page shows them running before any of their updates arrived.
    waitForNode("llm", "running");
    waitForNode("db", "running");
    assertEquals("running", status());
    assertTrue(nodeAttribute("start", "class").contains("gl-done"), nodeAttribute("start", "class"));
    assertFalse(events().stream().anyMatch(e -> e.startsWith("llm wrote")), events().toString());
    browser.screenshot("03-run-live");

    waitForStatus("success");
    waitForNode("llm", "done");
    waitForNode("db", "done");
    List<String> events = events();
    assertTrue(events.stream().anyMatch(e -> e.startsWith("llm wrote")
        && e.contains("LLM answer for: from the browser")), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("step 2 · llm started")), events.toString());
    assertTrue(text("final-state").contains("DB result for: from the browser"), text("final-state"));
    browser.screenshot("04-run-done");
  }

  @Test
  void customEventTokensAreAppendedAsTheyStream() throws Exception {
    openGraph("chat");
    run("{\"prompt\": \"hi\"}");
    waitForStatus("success");
    assertEquals("Hello, world", text("tokens"));
    assertEquals(3, events().stream().filter(e -> e.startsWith("custom")).count(), events().toString());
    browser.screenshot("05-tokens");
  }

  @Test
  void aFailingNodeIsMarkedWithItsError() throws Exception {
    openGraph("guarded");
    run("{\"who\": \"ann\", \"fail\": true}");
    waitForStatus("error");
    waitForNode("check", "error");
    waitForNode("fetch", "done");
    assertTrue(nodeAttribute("check", "data-error").contains(StudioGraphs.FAILURE), nodeAttribute("check",
        "data-error"));
    Object tooltip = browser.script("const t = document.querySelector(arguments[0] + ' > title');"
        + " return t ? t.textContent : null", nodeCss("check"));
    assertTrue(String.valueOf(tooltip).startsWith("check failed: ") && String.valueOf(tooltip)
        .contains(StudioGraphs.FAILURE), String.valueOf(tooltip));
    assertFalse(nodeAttribute("fetch", "class").contains("gl-error"), nodeAttribute("fetch", "class"));
    assertTrue(events().stream().anyMatch(e -> e.startsWith("step 2 · check failed")
        && e.contains(StudioGraphs.FAILURE)), events().toString());
    browser.screenshot("06-failed-node");

    run("{\"who\": \"bob\", \"fail\": false}");        // the same graph runs again: the marks start over
    waitForStatus("success");
    waitForNode("check", "done");
    assertEquals("", nodeAttribute("check", "data-error"));
  }

  @Test
  void xrayDrawsASubgraphAsANestedBlockOfItsNodes() throws Exception {
    openGraph("nested");
    assertEquals(Set.of("__start__", "prepare", "inner", "finish", "__end__"), Set.copyOf(nodeNames()));
    assertEquals(0, count("#graph svg g.cluster"));
    browser.click("#xray");
    browser.until("xray draws the subgraph's nodes", () -> nodeNames().contains("inner:plan"));
    assertEquals(Set.of("__start__", "prepare", "inner:plan", "inner:act", "finish", "__end__"),
        Set.copyOf(nodeNames()));
    assertEquals(1, count("#graph svg g.cluster"));
    assertTrue(text("graph").contains("inner"), text("graph"));
    browser.screenshot("07-xray");

    run("{\"what\": \"x\"}");
    waitForStatus("success");
    waitForNode("inner:plan", "done");       // the subgraph's task marks its drawn nodes
    waitForNode("inner:act", "done");
    waitForNode("finish", "done");
    assertTrue(text("final-state").contains("finished task x"), text("final-state"));
  }

  @Test
  void anInterruptShowsItsQuestionAndIsAnsweredFromThePage() throws Exception {
    openGraph("approval");
    run("{\"version\": \"7.1\"}");
    browser.until("the interrupt form shows", () -> shown("interrupt"));
    waitForStatus("interrupted");
    waitForNode("approve", "interrupted");
    String payload = text("interrupt-payload");
    assertTrue(payload.contains("Publish this announcement?") && payload.contains("Graphloop 7.1 is out"), payload);
    browser.screenshot("08-interrupt");

    typeInto("resume-value", "yes");
    browser.click("#resume");
    waitForStatus("success");
    waitForNode("publish", "done");
    assertFalse(shown("interrupt"));
    assertTrue(text("final-state").contains("\"outcome\": \"published\""), text("final-state"));
    browser.screenshot("09-resumed");
  }

  @Test
  void aCheckpointIsEditedForkedAndReplayed() throws Exception {
    openGraph("approval");
    run("{\"version\": \"3.0\"}");
    waitForStatus("interrupted");
    String thread = value("thread-id");
    // The thread shows in the list and its history opens by itself after the run: newest checkpoint first.
    browser.until("the thread is listed", () -> count("#threads li[data-thread-id='" + thread + "']") == 1);
    String afterDraft = "#history li[data-step='1'] button";
    browser.until("the history shows the checkpoint after draft", () -> count(afterDraft) > 0);
    browser.click(afterDraft);
    browser.until("the checkpoint's state shows", () -> value("checkpoint-state").contains("Graphloop 3.0 is out"));
    String edited = value("checkpoint-state").replace("Graphloop 3.0 is out", "Graphloop 3.0 (edited) is out");
    typeInto("checkpoint-state", edited);
    browser.click("#fork");
    browser.until("the fork is confirmed", () -> text("checkpoint-message").startsWith("forked"));
    browser.screenshot("10-forked");

    String forked = "#history li[data-step='2'] button";
    browser.until("the fork is the newest checkpoint", () -> count(forked) > 0);
    browser.click(forked);
    browser.until("the fork's state shows", () -> value("checkpoint-state").contains("(edited)"));
    browser.click("#replay");
    browser.until("the replay stops at the interrupt with the edited draft", () -> shown("interrupt")
        && text("interrupt-payload").contains("Graphloop 3.0 (edited) is out"));
    waitForStatus("interrupted");
    browser.screenshot("11-replayed");
  }

  /** How many threads the paging scenario creates through the API. */
  static final int THREADS = 2_000;

  @Test
  void thousandsOfThreadsAndALongHistoryArePaged() throws Exception {
    // Made through the public API, as any client would: THREADS threads of the graph 'chain', then one run of it
    // (100 steps, so its thread has a history of about a hundred checkpoints) on a thread of its own.
    ServerCalls api = new ServerCalls(serve.url());
    api.createThreads(THREADS, new io.vertx.core.json.JsonObject().put("graph_id", "chain"));
    String longThread = api.post("/threads", new io.vertx.core.json.JsonObject()).getString("thread_id");
    io.vertx.core.json.JsonObject result = api.post("/threads/" + longThread + "/runs/wait",
        new io.vertx.core.json.JsonObject().put("assistant_id", "chain")
            .put("input", new io.vertx.core.json.JsonObject().put("count", 0)));
    assertEquals(100, result.getInteger("count"), result.encode());
    int total = THREADS + 1;

    openGraph("chain");
    browser.until("the first page of threads shows", () -> text("threads-page").equals("page 1 · threads 1–20 of "
        + total));
    List<String> first = threadIds();
    assertEquals(20, first.size());
    assertEquals(longThread, first.get(0), "the thread updated last comes first");
    browser.click("#threads-next");
    browser.until("the second page shows", () -> text("threads-page").equals("page 2 · threads 21–40 of " + total));
    List<String> second = threadIds();
    assertEquals(20, second.size());
    assertTrue(second.stream().noneMatch(first::contains), "page 2 " + second + " repeats page 1 " + first);
    browser.click("#threads-prev");
    browser.until("back on the first page", () -> threadIds().equals(first));

    browser.click("#threads li[data-thread-id='" + longThread + "'] button");
    browser.until("the newest page of its history shows", () -> count("#history li") == 20
        && text("history-page").equals("page 1 · 20 checkpoints"));
    List<Integer> newest = steps();
    for (int i = 1; i < newest.size(); i++) {
      assertEquals(newest.get(i - 1) - 1, newest.get(i), "newest first, one checkpoint per step: " + newest);
    }
    browser.screenshot("12-paged");
    browser.click("#history-older");
    browser.until("the next older page shows", () -> text("history-page").startsWith("page 2")
        && !steps().isEmpty() && steps().get(0) == newest.get(newest.size() - 1) - 1);
    assertEquals(20, steps().size());
    browser.click("#history-newer");
    browser.until("back on the newest page", () -> steps().equals(newest));
  }

  List<String> threadIds() {
    return strings("return [...document.querySelectorAll('#threads li')].map(li => li.dataset.threadId)");
  }

  List<Integer> steps() {
    return strings("return [...document.querySelectorAll('#history li')].map(li => li.dataset.step)").stream()
        .map(Integer::valueOf).toList();
  }

  @Test
  void anAgentsTokensAppearAsItsModelStreamsThemAndItsToolCallIsListed() throws Exception {
    openGraph("agent");
    // The page fills the form from /assistants/{id}/schemas after it draws the graph: wait for that fetch.
    browser.until("the form starts from the graph's input schema: an empty conversation",
        () -> "{\"messages\":[]}".equals(compact(value("run-input"))));
    model.responderDelays(0, 400);              // each streamed chunk 0.4 s after the one before
    try {
      run("{\"messages\": [{\"type\": \"human\", \"content\": \"What is 6 times 7?\"}]}");
      browser.until("part of the answer shows while the model still streams it", () -> {
        String tokens = text("tokens");
        return tokens.startsWith("The ") && !tokens.equals("The answer is 42.") && "running".equals(status());
      });
      waitForNode("agent", "running");
      assertTrue(nodeAttribute("tools", "class").contains("gl-done"), nodeAttribute("tools", "class"));
      browser.screenshot("13-agent-streaming");
      waitForStatus("success");
    } finally {
      model.responderDelays(0, 0);
    }
    assertEquals("The answer is 42.", text("tokens"), "the model's words only, not the tool's answer");
    waitForNode("agent", "done");
    List<String> events = events();
    assertTrue(events.stream().anyMatch(e -> e.equals("step 1 · agent calls multiply")), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("step 2 · tools · multiply answered") && e.contains("42")),
        events.toString());
    assertTrue(text("final-state").contains("The answer is 42."), text("final-state"));
    browser.screenshot("14-agent-done");
  }

  @Test
  void theConfigAndTheChosenStreamModesReachTheRun() {
    openGraph("seed-fast");
    typeInto("run-config", "{\"recursion_limit\": 1}");
    run("{\"query\": \"limited\"}");
    waitForStatus("error");
    assertTrue(events().stream().anyMatch(e -> e.startsWith("run failed") && e.contains("ecursion")),
        events().toString());

    typeInto("run-config", "{}");
    browser.click("#stream-modes input[value='tasks']");     // no tasks events: no "started" lines, no marks
    run("{\"query\": \"untracked\"}");
    waitForStatus("success");
    List<String> events = events();
    assertTrue(events.stream().anyMatch(e -> e.startsWith("llm wrote")), events.toString());
    assertFalse(events.stream().anyMatch(e -> e.contains(" started")), events.toString());
    assertFalse(nodeAttribute("llm", "class").contains("gl-done"), nodeAttribute("llm", "class"));
  }

  /** {@code text} as compact JSON, or {@code text} itself when it is not a JSON object. */
  static String compact(String text) {
    try {
      return new JsonObject(text).encode();
    } catch (RuntimeException notJson) {
      return text;
    }
  }

  @Test
  void theRunFormIsPrefilledFromATypedGraphsSchemaAndRuns() throws Exception {
    openGraph("profile");
    JsonObject expected = new JsonObject().put("name", "").put("age", 0).put("tags", new io.vertx.core.json.JsonArray())
        .put("level", "JUNIOR").put("address", new JsonObject().put("city", "").put("zip", 0)).put("greeting", "");
    browser.until("the form shows an empty value of each component's type", () -> {
      String input = compact(value("run-input"));
      return input.startsWith("{") && new JsonObject(input).equals(expected);
    });
    browser.screenshot("15-typed-input");
    run("{\"name\": \"Ada\", \"address\": {\"city\": \"London\", \"zip\": 1}}");
    waitForStatus("success");
    assertTrue(text("final-state").contains("Hello Ada from London"), text("final-state"));
  }

  @Test
  void badInputIsRefusedOnThePageWithoutARun() {
    openGraph("seed");
    run("{not json");
    browser.until("the form says what is wrong", () -> text("form-error").contains("The input is not valid JSON"));
    assertEquals("idle", status());
  }
}
