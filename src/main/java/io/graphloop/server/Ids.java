package io.graphloop.server;

import io.graphloop.internal.bus.SecureIds;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The ids LangGraph Server hands out: time-ordered UUIDv7 for threads and runs (74 random bits, unguessable), and the
 * UUIDv5 of a graph's name for its default assistant, as LangGraph derives it (namespace
 * {@code 6ba7b821-9dad-11d1-80b4-00c04fd430c8}), so a client that knows a graph's assistant id from LangGraph finds it
 * here under the same id.
 *
 * <p>Thread-safe.
 */
final class Ids {

  /** LangGraph's namespace for the assistant ids of graphs ({@code NAMESPACE_GRAPH}). */
  static final UUID NAMESPACE_GRAPH = UUID.fromString("6ba7b821-9dad-11d1-80b4-00c04fd430c8");

  private Ids() {
  }

  /**
   * A new UUIDv7: the time in milliseconds, then 74 random bits from the calling thread's own generator
   * ({@link SecureIds}: an AES counter-mode keystream, unguessable as {@link SecureRandom} is). Not from a shared
   * {@code SecureRandom}: on Linux its default (NativePRNG) takes a lock shared by every thread, reads the kernel's pool
   * and mixes in SHA1PRNG's output per call, about 1.6% of a loop's CPU when every stream of 10,000 starts a run
   * (JFR, 2026-12-08).
   */
  static String uuid7() {
    long millis = System.currentTimeMillis();
    long high = SecureIds.nextLong();
    long low = SecureIds.nextLong();
    long msb = (millis << 16) | 0x7000L | (high & 0x0FFFL);
    long lsb = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** The UUIDv5 (SHA-1) of {@code name} in {@code namespace}. */
  static String uuid5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
        .putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0F) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong()).toString();
  }

  /** A new random UUID (v4), as LangGraph gives a created assistant. */
  static String uuid4() {
    return UUID.randomUUID().toString();
  }

  /** Whether {@code text} is a UUID in its canonical 36-character form. */
  static boolean isUuid(String text) {
    return text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  }
}
