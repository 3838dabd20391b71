package io.graphloop.studio;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Firefox ESR, headless, driven through WebDriver BiDi, the W3C protocol Firefox speaks itself: started with
 * {@code --remote-debugging-port=0} in a throwaway profile, it prints {@code WebDriver BiDi listening on ws://...};
 * this class opens {@code /session} there ({@link BiDiConnection}), so no geckodriver is needed. Clicks and typing
 * are BiDi {@code input.performActions} (pointer and key input, as from a user); scripts are
 * {@code script.callFunction}.
 *
 * <p>Used from the test thread only (a daemon thread drains the browser's output).
 */
final class FirefoxBrowser implements Browser {

  private static final String[] BROWSERS = {"/usr/bin/firefox-esr", "/usr/bin/firefox"};
  private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
  private static final long START_SECONDS = 90;

  private final Process process;
  private final Path profile;
  private final BiDiConnection bidi;
  private final String context;
  private final StringBuffer output;

  private FirefoxBrowser(Process process, Path profile, BiDiConnection bidi, String context, StringBuffer output) {
    this.process = process;
    this.profile = profile;
    this.bidi = bidi;
    this.context = context;
    this.output = output;
  }

  /** Why Firefox cannot run here, or null. */
  static String missing() {
    return Browser.executable(BROWSERS) != null ? null : "Debian's firefox-esr is needed for the studio's browser "
        + "tests in Firefox (apt-get install -y firefox-esr)";
  }

  static FirefoxBrowser start() throws IOException {
    File firefox = Browser.executable(BROWSERS);
    Path profile = Files.createTempDirectory("graphloop-firefox");
    // Quiet start-up: no first-run pages or checks (the machine may be offline).
    Files.writeString(profile.resolve("user.js"), String.join("\n",
        "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
        "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
        "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
        "user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);",
        "user_pref(\"app.update.disabledForTesting\", true);", ""));
    Process process = new ProcessBuilder(firefox.toString(), "--headless", "--no-remote", "--profile",
        profile.toString(), "--remote-debugging-port=0", "--window-size=" + WIDTH + "," + HEIGHT, "about:blank")
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    BlockingQueue<String> listening = new ArrayBlockingQueue<>(1);
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (output.length() < 20_000) {
            output.append(line).append('\n');
          }
          Matcher matcher = LISTENING.matcher(line);
          if (matcher.find()) {
            listening.offer(matcher.group(1));
          }
        }
      } catch (IOException e) {
        output.append("[output closed: ").append(e).append("]\n");
      }
    }, "firefox-output");
    drain.setDaemon(true);
    drain.start();
    BiDiConnection bidi = null;
    try {
      String url = listening.poll(START_SECONDS, TimeUnit.SECONDS);
      if (url == null) {
        throw new IllegalStateException("Firefox did not print 'WebDriver BiDi listening' within " + START_SECONDS
            + " s: " + output);
      }
      bidi = new BiDiConnection(URI.create(url + "/session"));
      bidi.send("session.new", new JsonObject().put("capabilities", new JsonObject()));
      bidi.send("session.subscribe", new JsonObject().put("events", new JsonArray().add("log.entryAdded")));
      JsonArray contexts = bidi.send("browsingContext.getTree", new JsonObject()).getJsonArray("contexts");
      String context = contexts.getJsonObject(0).getString("context");
      bidi.send("browsingContext.setViewport", new JsonObject().put("context", context)
          .put("viewport", new JsonObject().put("width", WIDTH).put("height", HEIGHT)));
      return new FirefoxBrowser(process, profile, bidi, context, output);
    } catch (Exception e) {
      if (bidi != null) {
        bidi.close();
      }
      process.destroyForcibly();
      delete(profile);
      throw new IllegalStateException("Firefox did not start for WebDriver BiDi: " + e.getMessage() + "; output: "
          + output, e);
    }
  }

  @Override
  public String name() {
    return "firefox";
  }

  @Override
  public void open(String url) {
    bidi.send("browsingContext.navigate", new JsonObject().put("context", context).put("url", url)
        .put("wait", "complete"));
  }

  private JsonObject call(String body, Object... args) {
    JsonArray arguments = new JsonArray();
    for (Object arg : args) {
      arguments.add(localValue(arg));
    }
    JsonObject result = bidi.send("script.callFunction", new JsonObject()
        .put("functionDeclaration", "function() {\n" + body + "\n}")
        .put("arguments", arguments)
        .put("target", new JsonObject().put("context", context))
        .put("awaitPromise", true)
        .put("resultOwnership", "none"));
    if ("exception".equals(result.getString("type"))) {
      JsonObject details = result.getJsonObject("exceptionDetails", new JsonObject());
      throw new IllegalStateException("script failed in Firefox: " + details.getString("text") + " (script: "
          + body + ")");
    }
    return result.getJsonObject("result");
  }

  @Override
  public Object script(String body, Object... args) {
    return javaValue(call(body, args));
  }

  /** The element matching {@code css}, scrolled into view, as a BiDi shared reference. */
  private JsonObject element(String css) {
    JsonObject node = call("const e = document.querySelector(arguments[0]);"
        + " if (e) e.scrollIntoView({block: 'center'}); return e;", css);
    if (!"node".equals(node.getString("type")) || node.getString("sharedId") == null) {
      throw new IllegalStateException("no element matches '" + css + "' in Firefox");
    }
    return new JsonObject().put("sharedId", node.getString("sharedId"));
  }

  @Override
  public void click(String css) {
    JsonObject element = element(css);
    JsonArray actions = new JsonArray()
        .add(new JsonObject().put("type", "pointerMove").put("x", 0).put("y", 0)
            .put("origin", new JsonObject().put("type", "element").put("element", element)))
        .add(new JsonObject().put("type", "pointerDown").put("button", 0))
        .add(new JsonObject().put("type", "pointerUp").put("button", 0));
    perform(new JsonObject().put("type", "pointer").put("id", "mouse")
        .put("parameters", new JsonObject().put("pointerType", "mouse")).put("actions", actions));
  }

  @Override
  public void type(String css, String text) {
    click(css);
    call("const e = document.querySelector(arguments[0]); e.focus(); e.select();", css);
    JsonArray keys = new JsonArray();
    List<String> characters = new ArrayList<>(List.of("\uE003"));          // Backspace: removes the selection
    text.codePoints().forEach(c -> characters.add(c == '\n' ? "\uE007" : new String(Character.toChars(c))));  // Enter
    for (String key : characters) {
      keys.add(new JsonObject().put("type", "keyDown").put("value", key));
      keys.add(new JsonObject().put("type", "keyUp").put("value", key));
    }
    perform(new JsonObject().put("type", "key").put("id", "keyboard").put("actions", keys));
  }

  private void perform(JsonObject source) {
    bidi.send("input.performActions", new JsonObject().put("context", context)
        .put("actions", new JsonArray().add(source)));
  }

  @Override
  public byte[] screenshotPng() {
    String data = bidi.send("browsingContext.captureScreenshot", new JsonObject().put("context", context))
        .getString("data");
    return Base64.getDecoder().decode(data);
  }

  @Override
  public String console() {
    return bidi.log();
  }

  @Override
  public void close() {
    try {
      bidi.send("browser.close", new JsonObject());
    } catch (RuntimeException e) {
      // the browser may close the connection before it answers: it is closing, which is what was asked
    }
    bidi.close();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    delete(profile);
  }

  private static JsonObject localValue(Object value) {
    if (value == null) {
      return new JsonObject().put("type", "null");
    }
    if (value instanceof String || value instanceof Boolean) {
      return new JsonObject().put("type", value instanceof String ? "string" : "boolean").put("value", value);
    }
    if (value instanceof Number) {
      return new JsonObject().put("type", "number").put("value", value);
    }
    throw new IllegalArgumentException("a script argument must be a string, number, boolean or null, was "
        + value.getClass().getName());
  }

  /** A BiDi RemoteValue as a Java value (nodes and other handles as their JSON). */
  private static Object javaValue(JsonObject remote) {
    String type = remote.getString("type");
    switch (type) {
      case "undefined":
      case "null":
        return null;
      case "string":
      case "boolean":
        return remote.getValue("value");
      case "number":
        Object number = remote.getValue("value");
        if (number instanceof Number n) {
          return n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15
              ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        return number;                               // "NaN", "-0", "Infinity"
      case "array":
        List<Object> list = new ArrayList<>();
        remote.getJsonArray("value", new JsonArray()).forEach(item -> list.add(javaValue((JsonObject) item)));
        return list;
      case "object":
        Map<String, Object> map = new LinkedHashMap<>();
        for (Object entry : remote.getJsonArray("value", new JsonArray())) {
          JsonArray pair = (JsonArray) entry;
          Object key = pair.getValue(0);
          map.put(key instanceof JsonObject k ? String.valueOf(javaValue(k)) : String.valueOf(key),
              javaValue(pair.getJsonObject(1)));
        }
        return map;
      default:
        return remote.getMap();
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete the Firefox profile " + folder + ": " + e);   // harmless, but said
    }
  }
}
