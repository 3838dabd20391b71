package io.graphloop.state;

/**
 * One write to a channel in a superstep: which node wrote it and the (frozen) value.
 *
 * @param node  the writing node's name ({@code __start__} for the run's input)
 * @param value the value written, already frozen
 */
public record Write(String node, Object value) {
}
