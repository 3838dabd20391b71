package io.graphloop.bench;

import java.util.Map;

/**
 * The benches' {@code --name value} command-line pairs, read over a map of defaults. Stateless; any thread.
 */
final class BenchArgs {

  private BenchArgs() {
  }

  /**
   * Puts each {@code --name value} pair of {@code args} into {@code options}, which holds every known option with its
   * default; an odd count or an unknown name is refused with the known names.
   */
  static Map<String, String> pairs(Map<String, String> options, String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("Options come in pairs (--name value); the options are " + options.keySet());
    }
    for (int i = 0; i < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        throw new IllegalArgumentException("Unknown option " + args[i] + "; the options are " + options.keySet());
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }
}
