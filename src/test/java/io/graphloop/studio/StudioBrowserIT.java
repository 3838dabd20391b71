package io.graphloop.studio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio page as a user sees it: {@code java -jar target/graphloop.jar serve} started in a child JVM on
 * 127.0.0.1, {@code /studio} loaded in a real headless Chromium, and what the page shows asserted: the graph drawn,
 * a run's nodes lighting up live and its steps listed as they stream, tokens, an interrupt answered, a checkpoint
 * edited, forked and replayed. Screenshots of each step land in {@code target/studio-screenshots/}. Every wait is
 * bounded ({@link Browser#WAIT}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StudioBrowserIT {

  private static ServeProcess serve;
  private Browser browser;

  @BeforeAll
  static void serve() throws Exception {
    serve = new ServeProcess();
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  @BeforeEach
  void browser() {
    browser = Browser.start();
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.close();
    }
  }

  private void openGraph(String graph) {
    browser.open(serve.url() + "/studio?graph=" + graph);
    browser.until("the graph '" + graph + "' is drawn", d -> !nodes().isEmpty());
  }

  private List<WebElement> nodes() {
    return browser.driver.findElements(By.cssSelector("#graph svg g.node[data-node]"));
  }

  private Set<String> nodeNames() {
    return nodes().stream().map(node -> node.getAttribute("data-node")).collect(Collectors.toSet());
  }

  private String nodeClass(String node) {
    List<WebElement> found = browser.driver.findElements(By.cssSelector("#graph svg g.node[data-node='" + node + "']"));
    return found.isEmpty() ? "" : found.get(0).getAttribute("class");
  }

  private void waitForNode(String node, String state) {
    browser.until("node " + node + " is marked " + state, d -> nodeClass(node).contains("gl-" + state));
  }

  private String status() {
    return browser.byId("run-status").getText();
  }

  private void waitForStatus(String status) {
    browser.until("the run's status is " + status, d -> status.equals(status()));
  }

  private List<String> events() {
    return browser.driver.findElements(By.cssSelector("#events li.event")).stream().map(WebElement::getText).toList();
  }

  private void typeInto(String id, String text) {
    WebElement field = browser.byId(id);
    field.clear();
    field.sendKeys(text);
  }

  private void run(String input) {
    typeInto("run-input", input);
    browser.byId("run").click();
  }

  @Test
  void theGraphIsDrawnFromTheJarWithNoInternet() throws Exception {
    openGraph("seed");
    assertEquals(Set.of("__start__", "start", "llm", "db", "__end__"), nodeNames());
    String labels = browser.byId("graph").getText();
    assertTrue(labels.contains("llm") && labels.contains("db") && labels.contains("start"), labels);
    // __start__ -> start, start -> llm, start -> db, llm -> __end__, db -> __end__
    assertEquals(5, browser.driver.findElements(By.cssSelector("#graph svg .edgePaths path")).size());
    browser.screenshot("01-graph");

    nodes().stream().filter(n -> "llm".equals(n.getAttribute("data-node"))).findFirst().orElseThrow().click();
    browser.until("the node's details show", d -> browser.byId("node-info").getText().contains("__end__"));
    assertEquals("llm", browser.byId("node-name").getText());
  }

  @Test
  void aRunLightsUpItsNodesLiveAndListsWhatEachStepWrote() throws Exception {
    openGraph("seed");
    run("{\"query\": \"from the browser\"}");
    // llm and db wait 2 s each, in parallel: the page shows them running before any of their updates arrived.
    waitForNode("llm", "running");
    waitForNode("db", "running");
    assertEquals("running", status());
    assertTrue(nodeClass("start").contains("gl-done"), nodeClass("start"));
    assertFalse(events().stream().anyMatch(e -> e.startsWith("llm wrote")), events().toString());
    browser.screenshot("02-run-live");

    waitForStatus("success");
    waitForNode("llm", "done");
    waitForNode("db", "done");
    List<String> events = events();
    assertTrue(events.stream().anyMatch(e -> e.startsWith("llm wrote")
        && e.contains("LLM answer for: from the browser")), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("step 2 · llm started")), events.toString());
    assertTrue(browser.byId("final-state").getText().contains("DB result for: from the browser"),
        browser.byId("final-state").getText());
    browser.screenshot("03-run-done");
  }

  @Test
  void customEventTokensAreAppendedAsTheyStream() throws Exception {
    openGraph("chat");
    run("{\"prompt\": \"hi\"}");
    waitForStatus("success");
    assertEquals("Hello, world", browser.byId("tokens").getText());
    assertTrue(events().stream().filter(e -> e.startsWith("custom")).count() == 3, events().toString());
    browser.screenshot("04-tokens");
  }

  @Test
  void anInterruptShowsItsQuestionAndIsAnsweredFromThePage() throws Exception {
    openGraph("approval");
    run("{\"version\": \"7.1\"}");
    browser.until("the interrupt form shows", d -> browser.byId("interrupt").isDisplayed());
    waitForStatus("interrupted");
    waitForNode("approve", "interrupted");
    String payload = browser.byId("interrupt-payload").getText();
    assertTrue(payload.contains("Publish this announcement?") && payload.contains("Graphloop 7.1 is out"), payload);
    browser.screenshot("05-interrupt");

    typeInto("resume-value", "yes");
    browser.byId("resume").click();
    waitForStatus("success");
    waitForNode("publish", "done");
    assertFalse(browser.byId("interrupt").isDisplayed());
    assertTrue(browser.byId("final-state").getText().contains("\"outcome\": \"published\""),
        browser.byId("final-state").getText());
    browser.screenshot("06-resumed");
  }

  @Test
  void aCheckpointIsEditedForkedAndReplayed() throws Exception {
    openGraph("approval");
    run("{\"version\": \"3.0\"}");
    waitForStatus("interrupted");
    String thread = browser.byId("thread-id").getAttribute("value");
    // The thread shows in the list and its history opens by itself after the run: newest checkpoint first.
    browser.until("the thread is listed", d -> !d.findElements(
        By.cssSelector("#threads li[data-thread-id='" + thread + "']")).isEmpty());
    By afterDraft = By.cssSelector("#history li[data-step='1'] button");
    browser.until("the history shows the checkpoint after draft", d -> !d.findElements(afterDraft).isEmpty());
    browser.driver.findElement(afterDraft).click();
    browser.until("the checkpoint's state shows", d -> browser.byId("checkpoint-state").getAttribute("value")
        .contains("Graphloop 3.0 is out"));
    String edited = browser.byId("checkpoint-state").getAttribute("value")
        .replace("Graphloop 3.0 is out", "Graphloop 3.0 (edited) is out");
    typeInto("checkpoint-state", edited);
    browser.byId("fork").click();
    browser.until("the fork is confirmed", d -> browser.byId("checkpoint-message").getText().startsWith("forked"));
    browser.screenshot("07-forked");

    By forked = By.cssSelector("#history li[data-step='2'] button");
    browser.until("the fork is the newest checkpoint", d -> !d.findElements(forked).isEmpty());
    browser.driver.findElements(forked).get(0).click();
    browser.until("the fork's state shows", d -> browser.byId("checkpoint-state").getAttribute("value")
        .contains("(edited)"));
    browser.byId("replay").click();
    browser.until("the replay stops at the interrupt with the edited draft", d -> browser.byId("interrupt")
        .isDisplayed() && browser.byId("interrupt-payload").getText().contains("Graphloop 3.0 (edited) is out"));
    waitForStatus("interrupted");
    browser.screenshot("08-replayed");
  }

  @Test
  void badInputIsRefusedOnThePageWithoutARun() {
    openGraph("seed");
    run("{not json");
    browser.until("the form says what is wrong", d -> browser.byId("form-error").getText()
        .contains("The input is not valid JSON"));
    assertEquals("idle", status());
  }
}
