package io.graphloop.internal.graph;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that an application's record can be read by reflection before Graphloop relies on it (internal, not API).
 * Typed state and tools read records by reflection twice: Graphloop calls their accessors and reducers, Jackson
 * converts JSON to them. On the class path everything may; in a named application module the record's package must
 * be open to {@code io.graphloop} and {@code com.fasterxml.jackson.databind}, or exported to them with the record
 * public. Without this check the first run would fail deep inside Jackson; with it the graph is refused when it is
 * made, naming the line to add to the application's {@code module-info.java}.
 *
 * <p>Thread rules: stateless, any thread.
 */
public final class ReflectiveAccess {

  private static final List<Module> READERS = List.of(ReflectiveAccess.class.getModule(),
      ObjectMapper.class.getModule());

  private ReflectiveAccess() {
  }

  /**
   * Checks {@code type} for reflective reads by Graphloop and Jackson.
   *
   * @param role what the type is, the message's subject ("The typed state", "The argument record of tool 'add'")
   * @throws IllegalArgumentException when its module does not open (or export, for a public type) its package to both
   */
  public static void requireReadable(Class<?> type, String role) {
    Module owner = type.getModule();
    if (!owner.isNamed()) {
      return;
    }
    String pkg = type.getPackageName();
    List<String> missing = new ArrayList<>();
    for (Module reader : READERS) {
      if (!owner.isOpen(pkg, reader) && !(owner.isExported(pkg, reader) && isPublic(type))) {
        missing.add(reader.isNamed() ? reader.getName() : "ALL-UNNAMED");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(role + " " + type.getName() + " is read by reflection (Graphloop calls its "
          + "accessors, Jackson converts JSON to it), but its module " + owner.getName() + " does not open package "
          + pkg + " to " + String.join(" and ", missing) + ". Add `opens " + pkg + " to " + String.join(", ", missing)
          + ";` to the module-info.java of " + owner.getName() + ".");
    }
  }

  private static boolean isPublic(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    return true;
  }
}
