package io.graphloop.internal.bus;

import io.vertx.core.MultiMap;

/**
 * Who a request acts for, when the caller says so: the {@value #HEADER} header of a run request (on
 * {@code graphloop.<graph>.run}) or a thread request ({@code graphloop.<graph>.threads}), set by a trusted front end
 * (an HTTP server passes its authenticated user; a bridge sets it from its own authentication, never from the
 * browser) or by {@code GraphClient.asOwner(owner)}. A thread first used with an owner belongs to that owner: every
 * checkpoint of it records the owner, and a request with another owner, or with none, is answered as if the thread did
 * not exist (404). A thread first used without an owner stays unowned, and a request with an owner does not see it
 * either. The owner is a name Graphloop compares; it authenticates nobody.
 *
 * <p>Stateless.
 */
public final class Owners {

  /** The event-bus header that names the owner. */
  public static final String HEADER = "graphloop-owner";
  /** The checkpoint metadata key that records a thread's owner. */
  public static final String METADATA_KEY = "owner";
  /** The longest owner accepted. */
  public static final int MAX_LENGTH = 256;

  private Owners() {
  }

  /**
   * The owner named by {@code headers}, or {@code null} when none.
   *
   * @throws IllegalArgumentException when the header is blank, too long, or given more than once
   */
  public static String of(MultiMap headers) {
    if (headers == null || headers.isEmpty()) {
      return null;
    }
    java.util.List<String> all = headers.getAll(HEADER);
    if (all.isEmpty()) {
      return null;
    }
    if (all.size() > 1) {
      throw new IllegalArgumentException("the " + HEADER + " header is given " + all.size() + " times; give it once");
    }
    return check(all.get(0));
  }

  /**
   * {@code owner} if it is a valid owner name.
   *
   * @throws IllegalArgumentException when it is blank or longer than {@value #MAX_LENGTH} characters
   */
  public static String check(String owner) {
    if (owner == null) {
      return null;
    }
    if (owner.isBlank() || owner.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the " + HEADER + " header must name the owner in 1 to " + MAX_LENGTH
          + " characters, not blank; was " + owner.length() + " characters long");
    }
    return owner;
  }
}
