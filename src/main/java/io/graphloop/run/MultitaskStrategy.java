package io.graphloop.run;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a run on a thread that already has a run does (LangGraph's {@code multitask_strategy}); on the wire by its
 * lower-case name.
 *
 * <ul>
 *   <li>{@link #REJECT} ({@code "reject"}, the default): fails at once with {@code THREAD_BUSY}.</li>
 *   <li>{@link #ENQUEUE} ({@code "enqueue"}): waits for the thread's runs before it, in order, within its own
 *       deadline.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public enum MultitaskStrategy {
  REJECT("reject"), ENQUEUE("enqueue");

  private final String wireName;

  MultitaskStrategy(String wireName) {
    this.wireName = wireName;
  }

  /** The strategy's wire name ({@code reject}, {@code enqueue}). */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * The strategy of wire name {@code name}.
   *
   * @throws IllegalArgumentException naming the value and listing the accepted names
   */
  public static MultitaskStrategy of(String name) {
    return WireNames.of(MultitaskStrategy.class, values(), MultitaskStrategy::wireName, name, "multitaskStrategy");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
