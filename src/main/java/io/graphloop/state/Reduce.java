package io.graphloop.state;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a component of a typed state record, or a property of a typed state bean (on its field, getter or
 * setter; see {@code StateGraph.typed}), as a reducer channel
 * (LangGraph's {@code Annotated[int, operator.add]}): writes are folded with a {@link Reducer} of the
 * component's type, which the annotation names by class (public, with a public no-argument constructor). As
 * LangGraph's channel starts from its type's {@code typ()}, the channel starts from the component type's empty
 * value, which it shows before its first write and folds the first write into: {@code []} for a collection,
 * {@code {}} for a map, {@code ""}, {@code 0}, {@code 0.0}, {@code false}, a bean's JSON form when it has a public
 * no-argument constructor; other types (records, interfaces) have none, and the first write starts the fold.
 *
 * <pre>{@code
 * public static final class Sum implements Reducer<Integer> {
 *   public Integer apply(Integer total, Integer write) { return total + write; }
 * }
 * record Tally(@Reduce(Sum.class) Integer total) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Reduce {

  /** The reducer; its type argument must be the component's type. */
  @SuppressWarnings("rawtypes")
  Class<? extends Reducer> value();
}
