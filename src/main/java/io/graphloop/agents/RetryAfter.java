package io.graphloop.agents;

import io.vertx.core.MultiMap;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long a server asks to wait: OpenAI's {@code retry-after-ms}, else {@code Retry-After} (seconds or an HTTP date). */
final class RetryAfter {

  private RetryAfter() {
  }

  /** The wait in milliseconds, or null when the headers do not say (or say something unreadable). */
  static Long millis(MultiMap headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, (long) Double.parseDouble(ms.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    String value = headers.get("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
