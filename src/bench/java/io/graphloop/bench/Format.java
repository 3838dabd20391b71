package io.graphloop.bench;

import java.util.Locale;

/** Number formatting for the report: precision by unit, thousands separators. */
final class Format {

  private Format() {
  }

  static String number(double value, String unit) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    switch (unit) {
      case "runs/s":
      case "steps/s":
      case "threads":
      case "MB":
      case "bytes":
        return String.format(Locale.ROOT, "%,.0f", value);
      case "s":
        return String.format(Locale.ROOT, "%.3f", value);
      case "ms":
        return String.format(Locale.ROOT, value < 1 ? "%.4f" : "%.2f", value);
      default:
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }
  }

  static String ratio(double ratio) {
    return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "" : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  /** Seconds without trailing zeros (10, 0.05). */
  static String seconds(double seconds) {
    return java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
  }
}
