package io.graphloop.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format (version 0.0.4), for tests, and checks it as a scraper would: every line
 * is a {@code # HELP}/{@code # TYPE} comment or a sample {@code name{label="value",...} number}; names and label names
 * are legal; label values are quoted with {@code \\}, {@code \"} and {@code \n} escapes; each sample belongs to a
 * family declared by a {@code # TYPE} line before it; a histogram's buckets are cumulative and its {@code +Inf}
 * bucket equals its {@code _count}. A violation throws {@link IllegalArgumentException} naming the line. Immutable.
 */
public final class PrometheusText {

  /** One sample line: its metric name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME.pattern()
      + ") (counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram)");
  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_info");

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new TreeMap<>();
  private final String text;

  /** @throws IllegalArgumentException when the text is not valid exposition format */
  public PrometheusText(String text) {
    this.text = text;
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          comment(line);
        } else {
          Sample sample = sample(line);
          if (family(sample.name()) == null) {
            throw new IllegalArgumentException("no # TYPE line declares its family before it");
          }
          samples.add(sample);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Line " + number + " of the scrape is not valid Prometheus text ("
            + e.getMessage() + "): " + line, e);
      }
    }
    checkHistograms();
  }

  private void comment(String line) {
    if (line.startsWith("# TYPE ")) {
      Matcher type = TYPE.matcher(line);
      if (!type.matches()) {
        throw new IllegalArgumentException("a # TYPE line is '# TYPE name type'");
      }
      if (types.put(type.group(1), type.group(2)) != null) {
        throw new IllegalArgumentException("family " + type.group(1) + " is declared twice");
      }
    } else if (line.startsWith("# HELP ")) {
      String rest = line.substring(7);
      int space = rest.indexOf(' ');
      if (!NAME.matcher(space < 0 ? rest : rest.substring(0, space)).matches()) {
        throw new IllegalArgumentException("a # HELP line names a metric");
      }
    }
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "'");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (!LABEL.matcher(label).matches()) {
          throw new IllegalArgumentException("bad label name '" + label + "'");
        }
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label " + label + "'s value is not quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char escaped = line.charAt(++j);
            if (escaped != '\\' && escaped != '"' && escaped != 'n') {
              throw new IllegalArgumentException("bad escape \\" + escaped + " in label " + label);
            }
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " appears twice");
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else if (line.charAt(i) != '}') {
          throw new IllegalArgumentException("labels are separated by commas");
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("a space separates the sample's name and labels from its value");
    }
    String[] rest = line.substring(i + 1).trim().split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("a sample is a value and an optional timestamp");
    }
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String value) {
    switch (value) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(value);
    }
  }

  /** The declared family a sample named {@code name} belongs to, or {@code null}. */
  private String family(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  /** Each histogram series' buckets rise with {@code le}, and its {@code +Inf} bucket is its count. */
  private void checkHistograms() {
    for (Map.Entry<String, String> family : types.entrySet()) {
      if (!family.getValue().equals("histogram")) {
        continue;
      }
      Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
      for (Sample bucket : find(family.getKey() + "_bucket", Map.of())) {
        Map<String, String> key = new TreeMap<>(bucket.labels());
        if (key.remove("le") == null) {
          throw new IllegalArgumentException("bucket of " + family.getKey() + " without le: " + bucket);
        }
        series.computeIfAbsent(key, k -> new ArrayList<>()).add(bucket);
      }
      for (Map.Entry<Map<String, String>, List<Sample>> one : series.entrySet()) {
        double previous = 0;
        double previousLe = Double.NEGATIVE_INFINITY;
        for (Sample bucket : one.getValue()) {
          double le = number(bucket.labels().get("le"));
          if (le <= previousLe || bucket.value() < previous) {
            throw new IllegalArgumentException("histogram " + family.getKey() + one.getKey()
                + " has buckets out of order or not cumulative at le=" + bucket.labels().get("le"));
          }
          previous = bucket.value();
          previousLe = le;
        }
        if (previousLe != Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException("histogram " + family.getKey() + one.getKey() + " has no +Inf bucket");
        }
        List<Sample> count = find(family.getKey() + "_count", one.getKey());
        if (count.size() != 1 || count.get(0).value() != previous) {
          throw new IllegalArgumentException("histogram " + family.getKey() + one.getKey() + "'s +Inf bucket ("
              + previous + ") is not its _count (" + count + ")");
        }
      }
    }
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels}; fails if none or several. */
  public double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + labels + " in:\n" + text);
    }
    return found.get(0).value();
  }

  /** The samples named {@code name} whose labels include {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name)
        && s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** Every sample, in the order of the text. */
  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /**
   * The type a {@code # TYPE} line gave family {@code family} ({@code counter}, {@code histogram}, ...; a counter's
   * line may name it with or without {@code _total}), or null.
   */
  public String type(String family) {
    String type = types.get(family);
    return type != null ? type : types.get(family + "_total"); // a counter's # TYPE may name it with _total
  }

  /** Whether some sample's name starts with {@code prefix}. */
  public boolean hasPrefix(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  /** The distinct values label {@code label} takes across samples named {@code name}. */
  public List<String> labelValues(String name, String label) {
    return samples.stream().filter(s -> s.name().equals(name)).map(s -> s.labels().get(label))
        .filter(v -> v != null).distinct().toList();
  }
}
