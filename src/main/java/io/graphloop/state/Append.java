package io.graphloop.state;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a component of a typed state record, or a property of a typed state bean (on its field, getter or
 * setter; see {@code StateGraph.typed}), as an append channel
 * ({@link Channels#append()}, LangGraph's {@code Annotated[list, operator.add]}): every write is appended.
 * The component must be a {@code List}.
 *
 * <pre>{@code
 * record Research(String topic, @Append List<String> notes, Integer revision) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Append {
}
