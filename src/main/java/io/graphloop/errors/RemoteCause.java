package io.graphloop.errors;

/**
 * Stands in for an exception that was thrown in another JVM: it keeps the original class name and
 * message (Graphloop never uses Java serialization, so the original object cannot travel).
 */
public final class RemoteCause extends RuntimeException {

  private final String className;

  public RemoteCause(String className, String message) {
    super(message, null, false, false);
    this.className = className;
  }

  /** The fully qualified class name of the original exception. */
  public String className() {
    return className;
  }

  @Override
  public String toString() {
    return getMessage() == null ? className : className + ": " + getMessage();
  }
}
