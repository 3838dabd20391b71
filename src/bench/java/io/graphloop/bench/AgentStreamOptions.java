package io.graphloop.bench;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link AgentStreamBench}'s command line, read and checked: every option with its default, a bad value refused with
 * the rule in the message. Immutable; made on the main thread.
 *
 * @param conversations a round's conversations ({@code --conversations}, at least 1)
 * @param tokens        tokens per answer ({@code --tokens}, at least 4: three word-less ones, then the timed words)
 * @param tokenDelayMs  the fake model's delay before each token ({@code --token-delay-ms})
 * @param warmup        the warm-up round's conversations ({@code --warmup}, at least 1)
 * @param rate          conversations started per second ({@code --rate}), 0: a round's all at once
 * @param everyLoop     {@code --origin loops} (conversation i on the (i mod n)-th loop) rather than {@code one}
 * @param ownHarness    {@code --harness own} (fake model and HTTP clients on a Vert.x of their own) or {@code shared}
 * @param paths         the rows ({@code --paths}: a subset of floor, bus, serve)
 * @param probeMicros   the loop-lag probe's period ({@code --probe-us}), 0: off
 * @param modelApart    {@code --model apart} (the fake model on a Vert.x of its own) rather than {@code harness}
 * @param modelServers  the fake model's HTTP servers, one per event loop of its Vert.x ({@code --model-loops}):
 *                      0 means every loop (the default since 2026-12-08 03:30), 1 one loop (the rows before)
 */
record AgentStreamOptions(int conversations, int tokens, long tokenDelayMs, int warmup, double rate, boolean everyLoop,
                          boolean ownHarness, Set<String> paths, long probeMicros, boolean modelApart,
                          int modelServers) {

  static AgentStreamOptions parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--conversations", "1000", "--tokens", "40",
        "--token-delay-ms", "50", "--warmup", "100", "--rate", "0", "--origin", "loops", "--harness", "own", "--paths",
        "floor,bus,serve", "--probe-us", "0"));
    options.put("--model", "harness");
    options.put("--model-loops", "all");
    BenchArgs.pairs(options, args);
    double rate = Double.parseDouble(options.get("--rate"));
    if (!(rate >= 0) || rate > 100_000) {
      throw new IllegalArgumentException("--rate is conversations started per second, from 0 (all at once) to "
          + "100000, was " + options.get("--rate"));
    }
    String origin = options.get("--origin");
    if (!origin.equals("loops") && !origin.equals("one")) {
      throw new IllegalArgumentException("--origin is where conversations start: 'loops' (round robin over every event "
          + "loop) or 'one' (the main thread's one context), was " + origin);
    }
    String harness = options.get("--harness");
    if (!harness.equals("own") && !harness.equals("shared")) {
      throw new IllegalArgumentException("--harness is where the fake model and the HTTP clients run: 'own' (a Vert.x "
          + "instance of their own, threads apart from Graphloop's) or 'shared' (Graphloop's event loops, the rows "
          + "before 2026-12-07 16:00), was " + harness);
    }
    Set<String> paths = new LinkedHashSet<>(List.of(options.get("--paths").split(",")));
    if (paths.isEmpty() || !List.of("floor", "bus", "serve").containsAll(paths)) {
      throw new IllegalArgumentException("--paths is a comma-separated subset of floor,bus,serve (the rows to run), "
          + "was " + options.get("--paths"));
    }
    String modelPlace = options.get("--model");
    if (!modelPlace.equals("harness") && !modelPlace.equals("apart")) {
      throw new IllegalArgumentException("--model is where the fake model's HTTP servers run: 'harness' (on the "
          + "harness's Vert.x, the issue's rows: its loops also carry the HTTP clients) or 'apart' (a Vert.x of its "
          + "own: no client reads behind the model's writes), was " + modelPlace);
    }
    String modelLoops = options.get("--model-loops");
    if (!modelLoops.equals("all") && !modelLoops.equals("1")) {
      throw new IllegalArgumentException("--model-loops is how many event loops the fake model serves on: 'all' (one "
          + "HTTP server per loop of its Vert.x, the default since 2026-12-08) or '1' (one server: every connection "
          + "and every token's write on one loop, the rows before), was " + modelLoops);
    }
    long probeMicros = Long.parseLong(options.get("--probe-us"));
    if (probeMicros != 0 && (probeMicros < 100 || probeMicros > 1_000_000)) {
      throw new IllegalArgumentException("--probe-us is the period of the loop-lag probe in microseconds, 0 (off) or "
          + "100 to 1000000, was " + probeMicros);
    }
    return new AgentStreamOptions(positive(options, "--conversations"), positive(options, "--tokens"),
        Long.parseLong(options.get("--token-delay-ms")), positive(options, "--warmup"), rate, origin.equals("loops"),
        harness.equals("own"), paths, probeMicros, modelPlace.equals("apart"), modelLoops.equals("all") ? 0 : 1);
  }

  private static int positive(Map<String, String> options, String name) {
    int value = Integer.parseInt(options.get(name));
    int least = name.equals("--tokens") ? 4 : 1;
    if (value < least) {
      throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
    }
    return value;
  }
}
