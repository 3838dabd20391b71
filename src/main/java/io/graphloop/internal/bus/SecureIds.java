package io.graphloop.internal.bus;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Unguessable ids, cheaply: run ids, correlation ids, capability tokens. Each thread has its own generator, an
 * AES-256 counter-mode keystream (the construction of NIST's CTR_DRBG, without its derivation function) keyed from
 * {@link SecureRandom} when the thread first asks and again after every {@value #REKEY_BYTES} bytes. The keystream is
 * made {@value #BUFFER_BYTES} bytes at a time (one {@code Cipher.update}, hardware AES where the CPU has it), so an id
 * costs a few nanoseconds: Graphloop draws one or more per run and per node call, about 300,000 runs a second, where
 * {@code UUID.randomUUID()} takes a lock on a shared generator and reads the kernel's pool.
 *
 * <p>Without the key, past and future outputs cannot be told from random by someone who saw other outputs (unlike
 * {@code ThreadLocalRandom} or {@code SplittableRandom}, whose state a few outputs give away).
 *
 * <p>Thread-safe: each thread draws from its own generator.
 */
public final class SecureIds {

  static final int BUFFER_BYTES = 4096;
  static final long REKEY_BYTES = 1L << 30;

  private static final ThreadLocal<Generator> GENERATORS = ThreadLocal.withInitial(Generator::new);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SecureIds() {
  }

  /** 64 random bits. */
  public static long nextLong() {
    return GENERATORS.get().nextLong();
  }

  /** 64 random bits, never 0 (0 marks "no tag" in correlation ids). */
  public static long nextNonZeroLong() {
    long value;
    do {
      value = nextLong();
    } while (value == 0);
    return value;
  }

  /** A random (version 4) UUID: 122 random bits. */
  public static String uuid() {
    Generator generator = GENERATORS.get();
    long high = (generator.nextLong() & ~0xF000L) | 0x4000L;
    long low = (generator.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** A capability token: 128 random bits as 32 lowercase hex digits. */
  public static String token() {
    Generator generator = GENERATORS.get();
    return hex(generator.nextLong(), generator.nextLong());
  }

  /**
   * Whether {@code given} is the capability token {@code expected} ({@code null}: there is none, so nothing matches),
   * compared in constant time.
   */
  public static boolean sameToken(String expected, Object given) {
    return expected != null && given instanceof String && java.security.MessageDigest.isEqual(
        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        ((String) given).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** {@code high} then {@code low} as 32 lowercase hex digits. */
  public static String hex(long high, long low) {
    char[] text = new char[32];
    for (int i = 0; i < 16; i++) {
      text[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xF];
      text[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xF];
    }
    return new String(text);
  }

  /** One thread's keystream. */
  private static final class Generator {
    private static final SecureRandom SEEDS = new SecureRandom();
    private final byte[] zeros = new byte[BUFFER_BYTES];
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private Cipher cipher;
    private int position = BUFFER_BYTES;
    private long sinceKey = REKEY_BYTES;

    long nextLong() {
      if (position > BUFFER_BYTES - Long.BYTES) {
        refill();
      }
      long value = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        value = (value << 8) | (buffer[position + i] & 0xFF);
      }
      position += Long.BYTES;
      return value;
    }

    private void refill() {
      try {
        if (sinceKey >= REKEY_BYTES) {
          byte[] key = new byte[32];
          byte[] counter = new byte[16];
          synchronized (SEEDS) {
            SEEDS.nextBytes(key);
            SEEDS.nextBytes(counter);
          }
          cipher = Cipher.getInstance("AES/CTR/NoPadding");
          cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
          sinceKey = 0;
        }
        cipher.update(zeros, 0, BUFFER_BYTES, buffer, 0);
        sinceKey += BUFFER_BYTES;
        position = 0;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES/CTR is missing from this JVM, which every Java SE JVM has: " + e, e);
      }
    }
  }
}
