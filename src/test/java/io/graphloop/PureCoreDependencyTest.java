package io.graphloop;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure core (graph model, channels, superstep) must not touch Vert.x threads, verticles or the event bus,
 * so it stays testable without deploying anything (STYLE.md, "So, in Graphloop", point 1).
 */
class PureCoreDependencyTest {

  private static final List<String> PURE_PACKAGES = List.of("graph", "state", "internal/engine");

  /** Types and packages the pure core may not use, as they would be written in Java source. */
  private static final Pattern FORBIDDEN = Pattern.compile(
      "\\bio\\.vertx\\.core\\.(?:"
          + "(?:Verticle|VerticleBase|AbstractVerticle|Context|WorkerExecutor)\\b"
          + "|\\*"
          + "|(?:eventbus|impl|internal)\\.[\\w.*]*"
          + ")");

  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;",
      Pattern.MULTILINE);

  private static final Pattern EXECUTE_BLOCKING = Pattern.compile("\\bexecuteBlocking\\b");

  private static Path sourceRoot() {
    Path base = Path.of(System.getProperty("basedir", "."));
    return base.resolve("src/main/java/io/graphloop");
  }

  /** The source with comments, string and char literals blanked out (line structure kept). */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (; i < end; i++) {
          out.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        for (; i < end; i++) {
          out.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else if (c == '"' || c == '\'') {
        out.append(' ');
        i++;
        while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
          i += source.charAt(i) == '\\' ? 2 : 1;
          out.append(' ');
        }
        i++;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Every violation in one file's source, as "file:line: what". */
  static List<String> violations(String file, String source) {
    String code = codeOnly(source);
    List<String> found = new ArrayList<>();
    Matcher imports = IMPORT.matcher(code);
    while (imports.find()) {
      String imported = imports.group(1);
      if (FORBIDDEN.matcher(imported).lookingAt()) {
        found.add(file + ":" + lineOf(code, imports.start(1)) + ": imports " + imported);
      }
    }
    String[] lines = code.split("\n", -1);
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l];
      if (IMPORT.matcher(line).find()) {
        continue;
      }
      Matcher qualified = FORBIDDEN.matcher(line);
      while (qualified.find()) {
        found.add(file + ":" + (l + 1) + ": uses " + qualified.group());
      }
      if (EXECUTE_BLOCKING.matcher(line).find()) {
        found.add(file + ":" + (l + 1) + ": calls executeBlocking");
      }
    }
    return found;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  @Test
  void pureCoreUsesNoVerticlesContextsEventBusInternalsOrBlockingExecution() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String pkg : PURE_PACKAGES) {
      Path dir = sourceRoot().resolve(pkg);
      assertTrue(Files.isDirectory(dir), "missing source directory " + dir.toAbsolutePath());
      List<Path> sources;
      try (Stream<Path> walk = Files.walk(dir)) {
        sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        files++;
        violations.addAll(violations(sourceRoot().relativize(source).toString(), Files.readString(source)));
      }
    }

    assertTrue(files >= 20, "expected the pure core's sources, found " + files + " files under " + sourceRoot());
    assertEquals(List.of(), violations, "the pure core (graph, state, engine) must not depend on Vert.x threads, "
        + "verticles or the event bus:\n  " + String.join("\n  ", violations));
  }

  @Test
  void theCheckCatchesForbiddenImportsAndCalls() {
    String source = String.join("\n",
        "package io.graphloop.engine;",
        "import io.vertx.core.Context;",
        "import io.vertx.core.VerticleBase;",
        "import io.vertx.core.eventbus.Message;",
        "import io.vertx.core.internal.ContextInternal;",
        "import io.vertx.core.impl.VertxImpl;",
        "import static io.vertx.core.WorkerExecutor.foo;",
        "import io.vertx.core.*;",
        "class Bad {",
        "  void run(io.vertx.core.Vertx vertx) {",
        "    vertx.executeBlocking(() -> 1);",
        "    io.vertx.core.eventbus.EventBus bus = null;",
        "  }",
        "}");

    List<String> found = violations("engine/Bad.java", source);

    assertEquals(List.of(
        "engine/Bad.java:2: imports io.vertx.core.Context",
        "engine/Bad.java:3: imports io.vertx.core.VerticleBase",
        "engine/Bad.java:4: imports io.vertx.core.eventbus.Message",
        "engine/Bad.java:5: imports io.vertx.core.internal.ContextInternal",
        "engine/Bad.java:6: imports io.vertx.core.impl.VertxImpl",
        "engine/Bad.java:7: imports io.vertx.core.WorkerExecutor.foo",
        "engine/Bad.java:8: imports io.vertx.core.*",
        "engine/Bad.java:11: calls executeBlocking",
        "engine/Bad.java:12: uses io.vertx.core.eventbus.EventBus"), found);
  }

  @Test
  void theCheckAllowsPureVertxTypesAndMentionsInCommentsOrText() {
    String source = String.join("\n",
        "package io.graphloop.graph;",
        "import io.vertx.core.Future;",
        "import io.vertx.core.Vertx;",
        "import io.vertx.core.json.JsonObject;",
        "import io.vertx.core.ContextAwareThing;",
        "/** Use {@code executeBlocking} or io.vertx.core.Context elsewhere. */",
        "class Fine {",
        "  // not here: import io.vertx.core.eventbus.EventBus;",
        "  String s = \"executeBlocking io.vertx.core.Context\";",
        "}");

    assertEquals(List.of(), violations("graph/Fine.java", source));
  }
}
