package io.graphloop.run;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a run that did not fail ended ({@link RunResult#status()}); on the wire by its lower-case name.
 *
 * <ul>
 *   <li>{@link #SUCCESS} ({@code "success"}): it reached END.</li>
 *   <li>{@link #INTERRUPTED} ({@code "interrupted"}): it stopped at an interrupt and waits to be resumed on its
 *       thread.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public enum RunStatus {
  SUCCESS("success"), INTERRUPTED("interrupted");

  private final String wireName;

  RunStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The status's wire name ({@code success}, {@code interrupted}). */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * The status of wire name {@code name}.
   *
   * @throws IllegalArgumentException naming the value and listing the accepted names
   */
  public static RunStatus of(String name) {
    return WireNames.of(RunStatus.class, values(), RunStatus::wireName, name, "status");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
