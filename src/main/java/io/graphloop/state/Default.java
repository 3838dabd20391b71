package io.graphloop.state;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the default of a component of a typed state record, or of a property of a typed state bean (on its field,
 * getter or setter; a bean's field initializer declares one too; see {@code StateGraph.typed}), as JSON text converted
 * to the component's type: LangGraph's pydantic or dataclass field default ({@code x: int = 0}).
 *
 * <p>As in LangGraph 1.2.12, a default is what a node or a router reads while the channel has never been written
 * (nor been given by the input); it is not a write: the stored state, the {@code values} stream, a run's result and the
 * thread's history show the channel as unset until something writes it, and the graph's input schema lists it as the
 * property's {@code "default"}. A channel written with {@code null} reads as {@code null}. A reducer channel that starts
 * from its type's empty value ({@code @Append}, {@code @Reduce} of a list, map, string, number or boolean) is never
 * unset, so its default is never read, as LangGraph's.
 *
 * <pre>{@code
 * record Counter(String label, @Default("0") Integer count, @Default("[\"a\"]") List<String> tags) {}
 * }</pre>
 *
 * <p>The text must be valid JSON that converts to the component's type; otherwise the typed state is refused when the
 * graph is made, naming the component.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Default {

  /** The default as JSON text: {@code "0"}, {@code "\"a\""}, {@code "[]"}, {@code "{\"k\": 1}"}, {@code "null"}. */
  String value();
}
