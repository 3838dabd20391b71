package io.graphloop.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of one command: {@code --name value} pairs and {@code --flag}s, each known in advance. Anything else
 * (an unknown option, a missing value, an option given twice, a stray argument) fails at once with a message that
 * says what was wrong and what the command takes.
 *
 * <p>Immutable once parsed; used from the CLI's main thread.
 */
final class CommandLine {

  private final String command;
  private final Map<String, String> values;
  private final Set<String> flags;

  private CommandLine(String command, Map<String, String> values, Set<String> flags) {
    this.command = command;
    this.values = values;
    this.flags = flags;
  }

  /**
   * Parses {@code args} of {@code command}.
   *
   * @param valued options that take a value ({@code --graphs seed})
   * @param flags  options that take none ({@code --cluster})
   * @throws IllegalArgumentException saying what is wrong and listing the command's options
   */
  static CommandLine parse(String command, String[] args, Set<String> valued, Set<String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!valued.contains(arg) && !flags.contains(arg)) {
        Set<String> known = new TreeSet<>(valued);
        known.addAll(flags);
        throw new IllegalArgumentException((arg.startsWith("--") ? "Unknown option '" + arg + "'"
            : "Unexpected argument '" + arg + "'") + " for " + command + "; it takes " + String.join(", ", known) + ".");
      }
      if (!seen.add(arg)) {
        throw new IllegalArgumentException("Option " + arg + " of " + command + " is given twice; give it once.");
      }
      if (valued.contains(arg)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("Option " + arg + " of " + command + " needs a value.");
        }
        values.put(arg, args[++i]);
      }
    }
    seen.removeAll(values.keySet());
    return new CommandLine(command, values, seen);
  }

  /** The option's value, or {@code null} when not given. */
  String value(String option) {
    return values.get(option);
  }

  /** Whether the option was given. */
  boolean has(String option) {
    return values.containsKey(option) || flags.contains(option);
  }

  /** The option's comma-separated list (items trimmed, none empty), or {@code null} when not given. */
  List<String> list(String option) {
    String value = values.get(option);
    if (value == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (item.isBlank()) {
        throw new IllegalArgumentException("Option " + option + " of " + command + " takes a comma-separated list "
            + "without empty items, e.g. a,b; was '" + value + "'.");
      }
      items.add(item.trim());
    }
    return items;
  }

  /** The option's whole number in {@code [min, max]}, or {@code fallback} when not given. */
  long number(String option, long fallback, long min, long max) {
    String value = values.get(option);
    if (value == null) {
      return fallback;
    }
    try {
      long number = Long.parseLong(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("Option " + option + " of " + command + " takes a whole number from " + min
        + " to " + max + ", was '" + value + "'.");
  }
}
