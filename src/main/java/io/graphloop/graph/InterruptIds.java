package io.graphloop.graph;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Interrupt ids as LangGraph makes them ({@code Interrupt.from_ns}): the 32 lower-case hex digits of the XXH3 128-bit
 * digest of the asking task's checkpoint namespace. A task's namespace is {@code <node>:<uuid>}, the uuid derived
 * from the task's id ({@link #taskNamespace}; {@code getState().tasks()} shows it as {@code "checkpointNs"}); a
 * subgraph's tasks add theirs after their parent task's with {@code "|"}, and a task call of the functional API adds
 * {@code <task name>:<call id>} after its entrypoint's (the call id is the task event's {@code "id"}). So an id is
 * stable across replays and resumes of the same task, every interrupt of one task has the same id (its answers are
 * taken in order), and a client computes the id of an interrupt not reported yet from the task it sees, as with
 * LangGraph: {@code InterruptIds.of(checkpointNs)}, or in Python {@code xxh3_128_hexdigest(ns.encode())}.
 *
 * <p>A {@code Command.resume} map whose keys all have this shape ({@link #isResumeMap}, LangGraph's
 * {@code is_xxh3_128_hexdigest}) answers interrupts by id, for the whole resumed run: a key naming an interrupt that
 * was not reported yet answers it when it asks.
 *
 * <p>Stateless; safe from any thread.
 */
public final class InterruptIds {

  /**
   * The key under which a run's configuration carries its resume map to every node and subgraph run (LangGraph's
   * {@code CONFIG_KEY_RESUME_MAP}); reserved.
   */
  public static final String RESUME_MAP = "__pregel_resume_map";

  /** LangGraph's separator between the levels of a checkpoint namespace. */
  public static final String SEPARATOR = "|";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private InterruptIds() {
  }

  /** The interrupt id of a task whose checkpoint namespace is {@code checkpointNs}: 32 hex digits. */
  public static String of(String checkpointNs) {
    HashValue128 hash = Hashing.xxh3_128().hashBytesTo128Bits(checkpointNs.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[32];
    put(hash.getMostSignificantBits(), hex, 0);
    put(hash.getLeastSignificantBits(), hex, 16);
    return new String(hex);
  }

  private static void put(long bits, char[] hex, int at) {
    for (int i = 15; i >= 0; i--) {
      hex[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  /** The checkpoint namespace of task {@code taskId} of {@code node}, one level: {@code <node>:<uuid>}. */
  public static String taskNamespace(String node, String taskId) {
    return node + ":" + UUID.nameUUIDFromBytes(taskId.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code local} under {@code parent} ({@code null} or empty: at the top): {@code parent|local}. */
  public static String child(String parent, String local) {
    return parent == null || parent.isEmpty() ? local : parent + SEPARATOR + local;
  }

  /** Whether {@code key} has the shape of an interrupt id (32 lower-case hex digits). */
  public static boolean isId(Object key) {
    if (!(key instanceof String) || ((String) key).length() != 32) {
      return false;
    }
    String text = (String) key;
    for (int i = 0; i < 32; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code resume} (a {@code Command.resume} value) is a map of answers by interrupt id: a map whose keys all
   * have the shape of an id (an empty map too, which answers nothing), as LangGraph reads it.
   */
  public static boolean isResumeMap(Object resume) {
    if (!(resume instanceof Map)) {
      return false;
    }
    for (Object key : ((Map<?, ?>) resume).keySet()) {
      if (!isId(key)) {
        return false;
      }
    }
    return true;
  }
}
