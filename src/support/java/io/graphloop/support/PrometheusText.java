package io.graphloop.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads samples out of the Prometheus text exposition format, for tests. Immutable. */
public final class PrometheusText {

  /** One sample line: its metric name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples = new ArrayList<>();
  private final String text;

  public PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        for (String pair : body.split("\",")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String value = pair.substring(eq + 1);
          value = value.startsWith("\"") ? value.substring(1) : value;
          value = value.endsWith("\"") ? value.substring(0, value.length() - 1) : value;
          labels.put(pair.substring(0, eq), value);
        }
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
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
