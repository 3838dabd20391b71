package io.graphloop.graph;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.graphloop.internal.graph.ReflectiveAccess;
import io.graphloop.state.StateJson;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One channel of a typed state ({@link TypedStateGraph}): a component of a Java record, or a property of a JavaBean.
 * A bean is a public, concrete class (static when nested) with a public no-argument constructor; its properties are
 * what Jackson reads and writes (the state's JSON goes through Jackson both ways): a getter ({@code getX}/{@code isX})
 * with a setter, or a public field, named as Jackson names them, in Jackson's order (fields in declaration order). An
 * annotation ({@code @Append}, {@code @Reduce}) may be on the property's field, getter or setter.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name         the channel's name
 * @param type         its raw type
 * @param genericType  its declared type (for JSON Schemas and conversions)
 * @param accessorName the Java name that reads it: a record's accessor, a bean's getter or public field
 * @param owner        the record or bean
 * @param elements     where its annotations may be, in the order they are looked at
 * @param reader       reads it from an instance of {@code owner}
 */
record StateProperty(String name, Class<?> type, Type genericType, String accessorName, Class<?> owner,
                     List<AnnotatedElement> elements, Function<Object, Object> reader) {

  /**
   * The components of record {@code type}, or the properties of bean {@code type}.
   *
   * @throws IllegalArgumentException when {@code type} is neither, saying what a typed state may be
   */
  static List<StateProperty> of(Class<?> type) {
    if (type == null || !type.isRecord() && !isBean(type)) {
      throw new IllegalArgumentException("A typed state is a Java record or a JavaBean (a public class with a public "
          + "no-argument constructor, whose properties have getters and setters or are public fields); "
          + (type == null ? "null" : type.getName()) + " is not one (declare e.g. record MyState(String topic, "
          + "@Append List<String> notes)).");
    }
    ReflectiveAccess.requireReadable(type, type.isRecord() ? "The state record" : "The state bean");
    return type.isRecord() ? components(type) : properties(type);
  }

  /** Whether {@code type} can be a bean state: public, concrete, not the JDK's, with a public no-arg constructor. */
  static boolean isBean(Class<?> type) {
    if (type.isInterface() || type.isEnum() || type.isArray() || type.isPrimitive() || type.isAnnotation()
        || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())
        || type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) || type.getName().startsWith("java.")) {
      return false;
    }
    try {
      return Modifier.isPublic(type.getConstructor().getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static List<StateProperty> components(Class<?> type) {
    List<StateProperty> out = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      Method accessor = component.getAccessor();
      out.add(new StateProperty(component.getName(), component.getType(), component.getGenericType(),
          component.getName(), type, List.of(component), instance -> {
            try {
              return accessor.invoke(instance);
            } catch (ReflectiveOperationException e) {
              throw new IllegalArgumentException("Component '" + component.getName() + "' of "
                  + type.getSimpleName() + " could not be read: " + e, e);
            }
          }));
    }
    return out;
  }

  private static List<StateProperty> properties(Class<?> type) {
    JavaType javaType = StateJson.mapper().constructType(type);
    BeanDescription readable = StateJson.mapper().getSerializationConfig().introspect(javaType);
    BeanDescription writable = StateJson.mapper().getDeserializationConfig().introspect(javaType);
    Set<String> written = new HashSet<>();
    for (BeanPropertyDefinition property : writable.findProperties()) {
      if (property.hasSetter() || property.hasField()) {
        written.add(property.getName());
      }
    }
    List<StateProperty> out = new ArrayList<>();
    List<String> readOnly = new ArrayList<>();
    for (BeanPropertyDefinition property : readable.findProperties()) {
      AnnotatedMember accessor = property.getAccessor();
      if (accessor == null) {
        continue;
      }
      if (!written.contains(property.getName())) {
        readOnly.add(property.getName());
        continue;
      }
      List<AnnotatedElement> elements = new ArrayList<>();
      java.lang.reflect.Field field = field(type, property.getInternalName());
      if (field != null) {
        elements.add(field);
      }
      if (accessor.getMember() instanceof AnnotatedElement element && element != field) {
        elements.add(element);
      }
      AnnotatedMethod setter = property.getSetter();
      if (setter != null) {
        elements.add(setter.getAnnotated());
      }
      Type generic = accessor.getMember() instanceof Method method ? method.getGenericReturnType()
          : ((java.lang.reflect.Field) accessor.getMember()).getGenericType();
      String name = property.getName();
      out.add(new StateProperty(name, accessor.getRawType(), generic, accessor.getName(), type,
          List.copyOf(elements), instance -> {
            try {
              return accessor.getValue(instance);
            } catch (RuntimeException e) {
              throw new IllegalArgumentException("Property '" + name + "' of " + type.getSimpleName()
                  + " could not be read: " + e, e);
            }
          }));
    }
    if (!readOnly.isEmpty()) {
      throw new IllegalArgumentException("The typed state " + type.getName() + " cannot be used: its properties "
          + readOnly + " can be read but not written; give each a public setter (or make it a public field).");
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("The typed state " + type.getName() + " cannot be used: it has no property "
          + "(a getter with a setter, or a public field).");
    }
    List<String> declared = new ArrayList<>(); // superclasses' fields first, each class's in declaration order
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      List<String> own = new ArrayList<>();
      for (java.lang.reflect.Field field : c.getDeclaredFields()) {
        own.add(field.getName());
      }
      declared.addAll(0, own);
    }
    out.sort(java.util.Comparator.comparingInt(property -> { // Jackson lists annotated properties first
      int index = declared.indexOf(property.fieldName());
      return index < 0 ? Integer.MAX_VALUE : index;
    }));
    return out;
  }

  /** The name of the field behind this property (its first annotated element when that is a field), or its name. */
  private String fieldName() {
    return !elements.isEmpty() && elements.get(0) instanceof java.lang.reflect.Field field ? field.getName() : name;
  }

  /** The field {@code name} declared by {@code type} or a superclass, or null. */
  private static java.lang.reflect.Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    return null;
  }

  /** Its annotation of {@code kind} on any of its elements, or null. */
  <A extends Annotation> A annotation(Class<A> kind) {
    for (AnnotatedElement element : elements) {
      A found = element.getAnnotation(kind);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Its value in {@code instance} (of {@link #owner}). */
  Object read(Object instance) {
    return reader.apply(instance);
  }

  /** "Component 'x' of R" or "Property 'x' of B", for messages. */
  String describe() {
    return (owner.isRecord() ? "Component '" : "Property '") + name + "' of " + owner.getSimpleName();
  }
}
