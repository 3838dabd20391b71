package io.graphloop.graph;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;

/**
 * Reads a {@link Field}'s method reference ({@link SerializedLambda}). The lambda class lives in the caller's module
 * and package: on the class path its private {@code writeReplace} is called directly; when the caller's package is not
 * open to Graphloop (a named application module), Java serialization, which may call it in any module, hands it over
 * (the reference is never written anywhere).
 *
 * <p>Thread rules: stateless, any thread.
 */
final class FieldNames {

  private FieldNames() {
  }

  static SerializedLambda serializedForm(Field<?, ?> field) {
    try {
      Method writeReplace = field.getClass().getDeclaredMethod("writeReplace");
      try {
        writeReplace.setAccessible(true);
      } catch (InaccessibleObjectException e) {
        return throughSerialization(field);
      }
      return (SerializedLambda) writeReplace.invoke(field);
    } catch (ReflectiveOperationException | RuntimeException | IOException e) {
      throw new IllegalArgumentException("A Field is a method reference to a record accessor, e.g. MyState::notes; "
          + "got " + field, e);
    }
  }

  static SerializedLambda throughSerialization(Field<?, ?> field) throws IOException {
    try (Capture capture = new Capture()) {
      capture.writeObject(field);
      if (capture.lambda == null) {
        throw new IOException("serialization gave no SerializedLambda");
      }
      return capture.lambda;
    }
  }

  /** Keeps the lambda's serialized form and writes null in its place: nothing of it is serialized. */
  private static final class Capture extends ObjectOutputStream {
    private SerializedLambda lambda;

    Capture() throws IOException {
      super(OutputStream.nullOutputStream());
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) throws IOException {
      if (obj instanceof SerializedLambda serialized && lambda == null) {
        lambda = serialized;
        return null;
      }
      return obj;
    }
  }
}
