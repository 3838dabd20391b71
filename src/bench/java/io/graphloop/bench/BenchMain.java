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
 * LangGraph4j, each in a fresh child JVM ({@link ChildLauncher}) with the load recorded around it and run again when the
 * load before it was high ({@link LoadGuard}), skips LangGraph4j's measurements that cannot finish in a useful time
 * ({@link Caps}), prints the report and writes it into {@code BENCHMARKS.md} at the repository root between the
 * generated-part markers, keeping the hand-written sections ({@link BenchFile}). {@code --quick} and {@code --smoke}
 * write a scratch file under {@code target/bench/} instead, so smoke runs never overwrite real results.
 *
 * <pre>
 * java -jar target/bench/graphloop-bench.jar [--quick | --smoke] [--only ids|groups] [--systems graphloop,langgraph4j]
 *     [--out FILE] [--jvm-flags "-Xmx2g ..."] [--in-flight N] [--lg4j-threads N] [--lg4j-sweep 1,2,4,...]
 *     [--lg4j-max-threads N] [--lg4j-max-burst N] [--compile-cap-s S]
 *     [--rerun-load L] [--max-reruns N] [--settle-s S] [--rerun-budget-s S] [--child-timeout-s S]
 * </pre>
 *
 * <p>Single-threaded: everything runs on the parent's main thread, one child JVM at a time.
 */
public final class BenchMain {

  static final String COMMAND = "mvn -B -q -Pbench package && java -jar target/bench/graphloop-bench.jar";
  static final List<String> DEFAULT_JVM_FLAGS = List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC");

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options == null) {
      return;
    }
    Path root = repositoryRoot();
    Path logs = root.resolve("target/bench/logs");
    String scratch = options.smoke ? "target/bench/BENCHMARKS-smoke.md" : "target/bench/BENCHMARKS-quick.md";
    Path out = options.out != null ? Path.of(options.out)
        : options.settings.quick() ? root.resolve(scratch) : root.resolve("BENCHMARKS.md");
    if (options.out == null && options.settings.quick()) {
      Files.deleteIfExists(out); // a scratch file: written afresh, never spliced
    }
    // refuse before measuring for half an hour: a file the generated part cannot be placed in
    BenchFile.splice(Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : null, "", out.toString());
    ChildLauncher launcher = new ChildLauncher(options.jvmFlags, logs, options.childTimeoutSeconds);
    LoadGuard guard = new LoadGuard(options.rerunLoad, options.maxReruns, options.settleSeconds,
        options.rerunBudgetSeconds, Machine::loadAverage);
    Results results = new Results();
    List<String> notes = new ArrayList<>(Notes.fixed(options.settings));
    String loadBefore = Machine.loadAverage();
    long started = System.nanoTime();
    List<String[]> order = new ArrayList<>();
    for (Workload workload : Workload.values()) {
      if (!workload.available()) {
        continue;
      }
      if (!options.selected(workload)) {
        options.systems.forEach(system -> results.skip(workload, system, Results.NOT_SELECTED));
        continue;
      }
      for (String system : options.systems) {
        order.add(new String[] {workload.id(), system});
      }
    }
    // LangGraph4j's large bursts start thousands of threads and leave a 1-minute load of 10-25 behind them (it takes
    // minutes to decay): run after everything else, so no other row inherits that load (README "Benchmarks")
    List<String[]> deferred = order.stream().filter(m -> Caps.loadsTheMachine(Workload.byId(m[0]), m[1],
        options.settings)).toList();
    order.removeAll(deferred);
    order.addAll(deferred);
    for (String[] measurement : order) {
      Workload workload = Workload.byId(measurement[0]);
      String system = measurement[1];
      String capped = Caps.reason(workload, system, options.settings, results);
      if (capped != null) {
        System.err.printf("[bench] %-18s %-12s not run: %s%n", workload.id(), system, capped);
        results.skip(workload, system, capped);
        continue;
      }
      int reps = workload.name().startsWith("CONCURRENCY") ? Notes.concurrencyReps(options.settings) : 1;
      for (int rep = 1; rep <= reps; rep++) {
        String tag = reps > 1 ? "-" + rep : "";
        System.err.printf("[bench] %-18s %-12s %s (load %s)%n", workload.id(), system, reps > 1 ? rep + "/" + reps
            : "", Machine.loadAverage());
        int[] attempt = {0};
        for (JsonObject result : guard.measure(() -> launcher.run(system, workload, options.settings,
            tag + (++attempt[0] > 1 ? "-attempt" + attempt[0] : "")))) {
          System.err.println("[bench]   -> " + brief(result));
          JsonObject metrics = result.getJsonObject("metrics");
          if (metrics != null && metrics.containsKey("durable_steps_per_s")) {
            System.out.println(DurableStepsWorkload.summaryLine(metrics) + " [" + workload.id() + "]");
            System.out.println("[durable] CPU per step by thread: " + metrics.getString("cpu_per_step_by_thread")
                + " [" + workload.id() + "]");
            if (metrics.containsKey("durable_phases")) {
              System.out.println("[durable] phases: " + DurablePhases.describe(metrics.getJsonObject("durable_phases"))
                  + " [" + workload.id() + "]");
            }
          }
          if (reps > 1) {
            result.put("rep", rep + "/" + reps);
          }
          results.add(workload, system, result);
        }
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    String command = COMMAND + (args.length == 0 ? "" : " " + String.join(" ", args));
    Report.Context context = new Report.Context(command,
        ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")), Machine.describe(),
        options.jvmFlags, loadBefore, Machine.loadAverage(), options.settings, notes, minutes, options.rerunLoad,
        options.maxReruns, options.settleSeconds, options.rerunBudgetSeconds, guard.spentSeconds());
    String markdown = new Report(results, context).markdown();
    System.out.println(markdown);
    BenchFile.write(out, markdown);
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
    boolean smoke;
    /** Default: the core count plus one (see README "Benchmarks": the harness's own JVMs leave up to the cores). */
    double rerunLoad = Runtime.getRuntime().availableProcessors() + 1;
    int maxReruns = 2;
    long settleSeconds = 30;
    long rerunBudgetSeconds = 300;
    /** A child JVM that has not answered after this long is killed and its measurement reported as an error. */
    long childTimeoutSeconds = 600;

    boolean selected(Workload workload) {
      return only.isEmpty() || only.contains(workload.id());
    }

    /** The workload ids of {@code --only}: ids and group names ({@link Workload#group}). */
    static List<String> expand(String list) {
      List<String> ids = new ArrayList<>();
      for (String id : list.split(",")) {
        List<Workload> group = Workload.group(id.trim());
        if (group != null) {
          group.forEach(workload -> ids.add(workload.id()));
        } else {
          ids.add(Workload.byId(id.trim()).id());
        }
      }
      return ids;
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
          case "--smoke":
            options.settings = Settings.smoke();
            options.smoke = true;
            break;
          case "--only":
            options.only = expand(value(args, ++i, arg));
            break;
          case "--rerun-load":
            options.rerunLoad = Double.parseDouble(value(args, ++i, arg));
            break;
          case "--max-reruns":
            options.maxReruns = Integer.parseInt(value(args, ++i, arg));
            break;
          case "--settle-s":
            options.settleSeconds = Long.parseLong(value(args, ++i, arg));
            break;
          case "--child-timeout-s":
            options.childTimeoutSeconds = Long.parseLong(value(args, ++i, arg));
            if (options.childTimeoutSeconds < 1) {
              throw new IllegalArgumentException("--child-timeout-s must be at least 1");
            }
            break;
          case "--rerun-budget-s":
            options.rerunBudgetSeconds = Long.parseLong(value(args, ++i, arg));
            break;
          case "--lg4j-sweep": {
            List<Integer> counts = Arrays.stream(value(args, ++i, arg).split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
            overrides.add(() -> options.settings = options.settings.withLg4jSweep(counts));
            break;
          }
          case "--compile-cap-s": {
            double seconds = Double.parseDouble(value(args, ++i, arg));
            overrides.add(() -> options.settings = options.settings.withCompileCapS(seconds));
            break;
          }
          case "--lg4j-max-burst": {
            int runs = Integer.parseInt(value(args, ++i, arg));
            overrides.add(() -> options.settings = options.settings.withLg4jMaxBurst(runs));
            break;
          }
          case "--systems":
            options.systems = Arrays.asList(value(args, ++i, arg).split(","));
            break;
          case "--out":
            options.out = value(args, ++i, arg);
            break;
          case "--jvm-flags":
            options.jvmFlags = Arrays.asList(value(args, ++i, arg).trim().split("\\s+"));
            break;
          case "--in-flight": {
            int value = Integer.parseInt(value(args, ++i, arg));
            overrides.add(() -> options.settings = options.settings.withInFlight(value));
            break;
          }
          case "--lg4j-threads": {
            int value = Integer.parseInt(value(args, ++i, arg));
            overrides.add(() -> options.settings = options.settings.withLg4jThreads(value));
            break;
          }
          case "--lg4j-max-threads": {
            int value = Integer.parseInt(value(args, ++i, arg));
            overrides.add(() -> options.settings = options.settings.withLg4jMaxThreads(value));
            break;
          }
          case "--help":
          case "-h":
            System.out.println("java -jar target/bench/graphloop-bench.jar [--quick | --smoke] [--only ids|groups] "
                + "[--systems graphloop,langgraph4j] [--out FILE] [--jvm-flags FLAGS] [--in-flight N] "
                + "[--lg4j-threads N] [--lg4j-sweep 1,2,4,...] [--lg4j-max-threads N] [--lg4j-max-burst N] "
                + "[--compile-cap-s S] [--rerun-load L] [--max-reruns N] [--settle-s S] [--rerun-budget-s S] [--child-timeout-s S]\n"
                + "defaults: --rerun-load " + options.rerunLoad + " (cores + 1), --max-reruns 2, --settle-s 30, "
                + "--rerun-budget-s 300, --child-timeout-s 600, "
                + "--lg4j-sweep " + Settings.DEFAULT_SWEEP + ", --compile-cap-s 10, --lg4j-max-burst 100000\n"
                + "groups: " + Workload.GROUPS.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue().stream()
                    .map(Workload::id).toList()).toList() + "\nworkload ids: "
                + Arrays.stream(Workload.values()).map(Workload::id).toList());
            return null;
          default:
            throw new IllegalArgumentException("unknown option '" + arg + "' (try --help)");
        }
      }
      overrides.forEach(Runnable::run);
      if (options.systems.isEmpty() || !List.of(Report.GRAPHLOOP, Report.LANGGRAPH4J).containsAll(options.systems)) {
        throw new IllegalArgumentException("--systems takes graphloop and/or langgraph4j, not " + options.systems);
      }
      new LoadGuard(options.rerunLoad, options.maxReruns, options.settleSeconds, options.rerunBudgetSeconds,
          Machine::loadAverage);
      return options;
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value (try --help)");
      }
      return args[index];
    }
  }
}
