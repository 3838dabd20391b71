package io.graphloop.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphloop.state.StateJson;
import io.graphloop.state.Values;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stores' JSON writer writes exactly what Jackson writes for frozen values, and leaves the rest to Jackson. */
class JsonTextTest {

  private static final ObjectMapper JACKSON = StateJson.mapper();

  @Test
  void everyCharacterIsWrittenAsJacksonWritesIt() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0xD800; c++) {
      all.append(c);
      String one = String.valueOf(c);
      assertEquals(JACKSON.writeValueAsString(one), JsonText.encode(one), "char " + (int) c);
    }
    all.append("\uD83D\uDE00 end"); // a surrogate pair, as Java keeps it
    assertEquals(JACKSON.writeValueAsString(all.toString()), JsonText.encode(all.toString()));
  }

  @Test
  void numbersAndLiteralsAreWrittenAsJacksonWritesThem() throws Exception {
    List<Object> values = new ArrayList<>(List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"), 0.0, -0.0, 0.1, 1e10, 1e-7, 1.0E300,
        Double.MIN_VALUE, Double.MAX_VALUE, 123456.789, true, false));
    values.add(null);
    Random random = new Random(18);
    for (int i = 0; i < 2_000; i++) {
      values.add(Double.longBitsToDouble(random.nextLong()));
      values.add(random.nextLong());
    }
    for (Object value : values) {
      if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
        continue;
      }
      assertEquals(JACKSON.writeValueAsString(value), JsonText.encode(value), String.valueOf(value));
    }
  }

  @Test
  void nestedFrozenValuesAreWrittenAsJacksonWritesThem() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      Object value = Values.freeze(randomValue(random, 0), "a random value");
      assertEquals(JACKSON.writeValueAsString(value), JsonText.encode(value));
    }
    Map<String, Object> empty = new LinkedHashMap<>();
    assertEquals("{}", JsonText.encode(empty));
    assertEquals("[]", JsonText.encode(List.of()));
    assertEquals("{\"a\\\"b\":[1,{\"c\":null}]}", JsonText.encode(Values.freeze(Map.of("a\"b",
        List.of(1, java.util.Collections.singletonMap("c", null))), "x")));
  }

  @Test
  void whatItDoesNotWriteIsLeftToJackson() {
    assertNull(JsonText.encode(1.5f), "a Float: Jackson writes it as a float");
    assertNull(JsonText.encode(Double.NaN));
    assertNull(JsonText.encode(Map.of("a", List.of(Double.POSITIVE_INFINITY))));
    assertNull(JsonText.encode(Map.of(1, "not a string key")));
    assertNull(JsonText.encode(new Object()));
    // and the stores' encode still refuses what JSON cannot hold, naming it (only then is the description made)
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> CheckpointJson.encode(Map.of("x", Double.NaN), () -> "channel 'x'"));
    assertTrue(refused.getMessage().contains("channel 'x'") && refused.getMessage().contains("NaN"),
        refused.getMessage());
    assertEquals("1.5", CheckpointJson.encode(1.5f, "a float"));
  }

  private static Object randomValue(Random random, int depth) {
    int kind = depth > 4 ? random.nextInt(6) : random.nextInt(8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextInt();
      case 3:
        return random.nextLong();
      case 4:
        return random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 5:
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
          text.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0xD000)));
        }
        return text.toString();
      case 6:
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          map.put("k" + random.nextInt(100) + (char) random.nextInt(40), randomValue(random, depth + 1));
        }
        return map;
      default:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
    }
  }
}
