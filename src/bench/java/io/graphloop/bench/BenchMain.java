package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's entry point (the bench jar's main class): runs every workload on Graphloop and on
 * LangGraph4j, each in a fresh child JVM ({@link ChildLauncher}), prints the table and writes it with the
 * machine's description to {@code BENCHMARKS.md} at the repository root ({@code --quick}: to
 * {@code target/bench/BENCHMARKS-quick.md}, so smoke runs never overwrite real results).
 *
 * <pre>
 * java -jar target/bench/graphloop-bench.jar [--quick] [--only seed,chain100,...] [--systems graphloop,langgraph4j]
 *     [--out FILE] [--jvm-flags "-Xmx2g ..."] [--in-flight N] [--lg4j-threads N] [--lg4j-max-threads N]
 * </pre>
 */
public final class BenchMain {

  static final String COMMAND = "mvn -B -q -Pbench package && java -jar target/bench/graphloop-bench.jar";
  static final List<String> DEFAULT_JVM_FLAGS = List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC");
  private static final long CHILD_TIMEOUT_SECONDS = 600;

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options == null) {
      return;
    }
    Path root = repositoryRoot();
    Path logs = root.resolve("target/bench/logs");
    Path out = options.out != null ? Path.of(options.out)
        : options.settings.quick() ? root.resolve("target/bench/BENCHMARKS-quick.md") : root.resolve("BENCHMARKS.md");
    ChildLauncher launcher = new ChildLauncher(options.jvmFlags, logs, CHILD_TIMEOUT_SECONDS);
    Results results = new Results();
    List<String> notes = new ArrayList<>(Notes.fixed(options.settings));
    String loadBefore = Machine.loadAverage();
    long started = System.nanoTime();
    for (Workload workload : Workload.values()) {
      if (!workload.available()) {
        continue;
      }
      if (!options.selected(workload)) {
        options.systems.forEach(system -> results.skip(workload, system, "not selected (--only)"));
        continue;
      }
      for (String system : options.systems) {
        int reps = workload.name().startsWith("CONCURRENCY") ? Notes.concurrencyReps(options.settings) : 1;
        for (int rep = 1; rep <= reps; rep++) {
          System.err.printf("[bench] %-18s %-12s %s%n", workload.id(), system, reps > 1 ? rep + "/" + reps : "");
          JsonObject result = launcher.run(system, workload, options.settings, reps > 1 ? "-" + rep : "");
          System.err.println("[bench]   -> " + brief(result));
          JsonObject metrics = result.getJsonObject("metrics");
          if (metrics != null && metrics.containsKey("durable_steps_per_s")) {
            System.out.println(DurableStepsWorkload.summaryLine(metrics) + " [" + workload.id() + "]");
            System.out.println("[durable] CPU per step by thread: " + metrics.getString("cpu_per_step_by_thread")
                + " [" + workload.id() + "]");
          }
          results.add(workload, system, result);
        }
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String command = COMMAND + (args.length == 0 ? "" : " " + String.join(" ", args));
    Report.Context context = new Report.Context(command,
        ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")), Machine.describe(),
        options.jvmFlags, loadBefore, Machine.loadAverage(), options.settings, notes, minutes);
    String markdown = new Report(results, context).markdown();
    System.out.println(markdown);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown, StandardCharsets.UTF_8);
    Files.createDirectories(root.resolve("target/bench"));
    Files.writeString(root.resolve("target/bench/results" + (options.settings.quick() ? "-quick" : "") + ".json"),
        results.toJson().encodePrettily(), StandardCharsets.UTF_8);
    System.err.println("[bench] wrote " + out);
  }

  private static String brief(JsonObject result) {
    JsonObject copy = result.copy();
    copy.remove("driving");
    copy.remove("log");
    String text = copy.encode();
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  /** The repository root: three levels above target/bench/graphloop-bench.jar, else the working directory. */
  static Path repositoryRoot() {
    try {
      Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
      candidate = candidate == null ? null : candidate.getParent();
      if (candidate != null && Files.exists(candidate.resolve("pom.xml"))) {
        return candidate;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** The command line. */
  private static final class Options {
    Settings settings = Settings.full();
    List<String> only = List.of();
    List<String> systems = List.of(Report.GRAPHLOOP, Report.LANGGRAPH4J);
    List<String> jvmFlags = DEFAULT_JVM_FLAGS;
    String out;

    boolean selected(Workload workload) {
      return only.isEmpty() || only.contains(workload.id());
    }

    static Options parse(String[] args) {
      Options options = new Options();
      List<Runnable> overrides = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--quick":
            options.settings = Settings.quickRun();
            break;
          case "--only":
            options.only = Arrays.asList(args[++i].split(","));
            options.only.forEach(Workload::byId);
            break;
          case "--systems":
            options.systems = Arrays.asList(args[++i].split(","));
            break;
          case "--out":
            options.out = args[++i];
            break;
          case "--jvm-flags":
            options.jvmFlags = Arrays.asList(args[++i].trim().split("\\s+"));
            break;
          case "--in-flight": {
            int value = Integer.parseInt(args[++i]);
            overrides.add(() -> options.settings = options.settings.withInFlight(value));
            break;
          }
          case "--lg4j-threads": {
            int value = Integer.parseInt(args[++i]);
            overrides.add(() -> options.settings = options.settings.withLg4jThreads(value));
            break;
          }
          case "--lg4j-max-threads": {
            int value = Integer.parseInt(args[++i]);
            overrides.add(() -> options.settings = options.settings.withLg4jMaxThreads(value));
            break;
          }
          case "--help":
          case "-h":
            System.out.println("java -jar target/bench/graphloop-bench.jar [--quick] [--only ids] [--systems "
                + "graphloop,langgraph4j] [--out FILE] [--jvm-flags FLAGS] [--in-flight N] [--lg4j-threads N] "
                + "[--lg4j-max-threads N]\nworkload ids: "
                + Arrays.stream(Workload.values()).map(Workload::id).toList());
            return null;
          default:
            throw new IllegalArgumentException("unknown option '" + arg + "' (try --help)");
        }
      }
      overrides.forEach(Runnable::run);
      return options;
    }
  }
}
