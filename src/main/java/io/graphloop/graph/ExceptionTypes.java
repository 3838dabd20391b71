package io.graphloop.graph;

import io.graphloop.errors.RemoteCause;

/**
 * "Is this failure of that type?" for local exceptions and for {@link RemoteCause}s, which keep only
 * the class name of an exception thrown in another JVM (the class is looked up here when it can be).
 *
 * <p>Stateless.
 */
final class ExceptionTypes {

  private ExceptionTypes() {
  }

  static boolean isA(Throwable failure, Class<? extends Throwable> type) {
    if (type.isInstance(failure)) {
      return true;
    }
    if (failure instanceof RemoteCause) {
      Class<?> remote = load(((RemoteCause) failure).className());
      return remote != null ? type.isAssignableFrom(remote) : type.getName().equals(((RemoteCause) failure).className());
    }
    return false;
  }

  static boolean isA(Throwable failure, String typeName) {
    Class<?> type = load(typeName);
    if (type != null && Throwable.class.isAssignableFrom(type)) {
      @SuppressWarnings("unchecked")
      Class<? extends Throwable> throwable = (Class<? extends Throwable>) type;
      return isA(failure, throwable);
    }
    String actual = failure instanceof RemoteCause ? ((RemoteCause) failure).className() : failure.getClass().getName();
    return actual.equals(typeName);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ExceptionTypes.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
