package io.graphloop.checkpoint;

import java.time.Instant;

/**
 * {@link Instant#toString()} without the formatter: the stores write a checkpoint's creation time as text at every
 * save, and {@code DateTimeFormatter} costs more than the rest of the row's fixed columns. Same text, character for
 * character ({@code 2026-12-06T18:11:08.123456Z}: the fraction in groups of three digits, none when zero); years
 * outside 0000-9999 go through {@code Instant.toString()}. {@link InstantTextTest} checks the equality.
 *
 * <p>Stateless and thread-safe.
 */
final class InstantText {

  /** Seconds from 0000-01-01T00:00:00Z to the epoch, and to 10000-01-01T00:00:00Z. */
  private static final long YEAR_0 = -62_167_219_200L;
  private static final long YEAR_10000 = 253_402_300_800L;

  private InstantText() {
  }

  static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < YEAR_0 || seconds >= YEAR_10000) {
      return instant.toString();
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
    char[] out = new char[30];
    int year = date.getYear();
    digits(out, 0, year / 100);
    digits(out, 2, year % 100);
    out[4] = '-';
    digits(out, 5, date.getMonthValue());
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth());
    out[10] = 'T';
    digits(out, 11, secondOfDay / 3600);
    out[13] = ':';
    digits(out, 14, secondOfDay / 60 % 60);
    out[16] = ':';
    digits(out, 17, secondOfDay % 60);
    int length = 19;
    int nanos = instant.getNano();
    if (nanos > 0) {
      out[length++] = '.';
      int groups = nanos % 1_000_000 == 0 ? 1 : nanos % 1_000 == 0 ? 2 : 3;
      int value = groups == 1 ? nanos / 1_000_000 : groups == 2 ? nanos / 1_000 : nanos;
      int width = groups * 3;
      for (int i = width - 1; i >= 0; i--) {
        out[length + i] = (char) ('0' + value % 10);
        value /= 10;
      }
      length += width;
    }
    out[length++] = 'Z';
    return new String(out, 0, length);
  }

  private static void digits(char[] out, int at, int twoDigits) {
    out[at] = (char) ('0' + twoDigits / 10);
    out[at + 1] = (char) ('0' + twoDigits % 10);
  }
}
