package io.graphloop.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stores' creation times are written as Instant.toString writes them. */
class InstantTextTest {

  @Test
  void theTextIsInstantToStringsForEveryPrecisionAndYear() {
    Random random = new Random(18);
    long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      long seconds = min + (long) (random.nextDouble() * (max - min));
      int nanos = switch (i % 5) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        case 3 -> random.nextInt(1_000_000_000);
        default -> random.nextInt(10);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(instant.toString(), InstantText.format(instant));
    }
    for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z", "2026-12-06T18:11:08.100Z", "2026-02-28T23:59:59.000001Z", "2024-02-29T12:00:00Z"}) {
      Instant instant = Instant.parse(edge);
      assertEquals(instant.toString(), InstantText.format(instant));
      assertEquals(instant, Instant.parse(InstantText.format(instant)));
    }
  }
}
