package io.graphloop.graph;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.function.Function;

/**
 * A component of a typed state record named by its accessor, e.g. {@code Research::notes}, or a property of a typed
 * state bean named by its getter, e.g. {@code Research::getNotes}, for {@link Update#set}. Only a method reference is
 * accepted (the name is read from the reference).
 *
 * @param <S> the record type
 * @param <T> the component's type
 */
@FunctionalInterface
public interface Field<S, T> extends Function<S, T>, Serializable {

  /**
   * The referenced method's name (a record's accessor is its component's name; a bean's getter is mapped to its
   * property by {@link Update#set}).
   *
   * @throws IllegalArgumentException when this is not a method reference to an accessor of a record
   */
  default String componentName() {
    SerializedLambda lambda = FieldNames.serializedForm(this);
    String name = lambda.getImplMethodName();
    String owner = lambda.getImplClass().replace('/', '.');
    if (name.startsWith("lambda$")) {
      throw new IllegalArgumentException("A Field is a method reference to a record accessor, e.g. MyState::notes; "
          + "got a lambda in " + owner);
    }
    return name;
  }
}
