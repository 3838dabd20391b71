package io.graphloop.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random state values as callers write them, for the round-trip property tests of the number model: every Java
 * number type (whole numbers of every width and sign, floats, doubles from their raw bits, decimals), text of random
 * code points (surrogate pairs, quotes, control characters, NUL), booleans, nulls, and maps (ordered, hashed,
 * {@code Map.of}, {@code JsonObject}), lists and arrays nested in each other. Deterministic for a seed.
 */
public final class RandomValues {

  private RandomValues() {
  }

  /** A random state: 1 to 8 channels of random values nested at most {@code depth} levels. */
  public static State state(Random random, int depth) {
    Map<String, Object> values = new LinkedHashMap<>();
    int channels = 1 + random.nextInt(8);
    for (int i = 0; i < channels; i++) {
      // channel names are stored as names, not JSON: valid Unicode without NUL (nested keys may hold anything)
      values.put("c" + i + text(random, 4).replace('\u0000', '0'), value(random, depth));
    }
    return State.of(values);
  }

  /** A random value as a caller might write it (not yet frozen). */
  public static Object value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 18 : 14);
    switch (kind) {
      case 0: return null;
      case 1: return random.nextBoolean();
      case 2: return random.nextInt();
      case 3: return random.nextBoolean() ? (long) random.nextInt(1000) : random.nextLong();
      case 4: return (short) random.nextInt();
      case 5: return (byte) random.nextInt();
      case 6: return random.nextBoolean() ? BigInteger.valueOf(random.nextLong())
          : new BigInteger(64 + random.nextInt(100), random).negate();
      case 7: return random.nextBoolean() ? (float) random.nextInt(100) / 10 : finiteFloat(random);
      case 8: return finiteDouble(random);
      case 9: return new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(40) - 20);
      case 10: return random.nextBoolean() ? new AtomicInteger(random.nextInt()) : new AtomicLong(random.nextLong());
      case 11: case 12: case 13: return text(random, 20);
      case 14: return map(random, depth);
      case 15: return list(random, depth);
      case 16: {
        Object[] array = new Object[random.nextInt(4)];
        for (int i = 0; i < array.length; i++) {
          array[i] = value(random, depth - 1);
        }
        return array;
      }
      default: {
        JsonObject json = new JsonObject();
        json.put("n", random.nextLong()).put("list", new JsonArray().add(random.nextDouble()).add(text(random, 3)));
        return json;
      }
    }
  }

  private static Object map(Random random, int depth) {
    int size = random.nextInt(5);
    Map<String, Object> map = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(text(random, 6), value(random, depth - 1));
    }
    return map;
  }

  private static Object list(Random random, int depth) {
    int size = random.nextInt(5);
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      list.add(value(random, depth - 1));
    }
    return list;
  }

  private static float finiteFloat(Random random) {
    float f;
    do {
      f = Float.intBitsToFloat(random.nextInt());
    } while (!Float.isFinite(f));
    return f;
  }

  private static double finiteDouble(Random random) {
    switch (random.nextInt(4)) {
      case 0: return random.nextDouble();
      case 1: return -0.0;
      case 2: return random.nextInt(1000) * 1.0; // whole doubles stay doubles
      default:
        double d;
        do {
          d = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(d));
        return d;
    }
  }

  /** Valid Unicode text of up to {@code max} code points: ASCII, escapes, accents, CJK, emoji (surrogate pairs). */
  public static String text(Random random, int max) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(max + 1);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0: text.append((char) (32 + random.nextInt(95))); break;
        case 1: text.append("\"\\\n\t\u0000\u001f/".charAt(random.nextInt(7))); break;
        case 2: text.append((char) (0xA0 + random.nextInt(0x700))); break;
        case 3: text.append((char) (0x4E00 + random.nextInt(0x5000))); break;
        case 4: text.appendCodePoint(0x1F300 + random.nextInt(0x300)); break;
        default: text.appendCodePoint(0x10000 + random.nextInt(0xFFFFF)); break;
      }
    }
    return text.toString();
  }

  /** Fails unless {@code frozen} is entirely in the number model and frozen (see {@link Values}). */
  public static void assertInModel(Object frozen) {
    if (frozen == null || frozen instanceof String || frozen instanceof Boolean || frozen instanceof Integer) {
      return;
    }
    if (frozen instanceof Long) {
      assertTrue((long) frozen != (int) (long) frozen, "a Long only beyond int: " + frozen);
    } else if (frozen instanceof BigInteger) {
      assertTrue(((BigInteger) frozen).bitLength() > 63, "a BigInteger only beyond long: " + frozen);
    } else if (frozen instanceof Double) {
      assertTrue(Double.isFinite((Double) frozen), "a finite double: " + frozen);
    } else if (frozen instanceof FrozenMap) {
      ((FrozenMap) frozen).values().forEach(RandomValues::assertInModel);
    } else if (frozen instanceof FrozenList || frozen instanceof AppendOnlyList) {
      ((List<?>) frozen).forEach(RandomValues::assertInModel);
    } else {
      fail("not in the model: " + frozen.getClass().getName() + " " + frozen);
    }
  }
}
