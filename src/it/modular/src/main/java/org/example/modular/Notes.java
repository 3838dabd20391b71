package org.example.modular;

import io.graphloop.state.Append;

import java.util.List;

/** The graph's typed state: {@code notes} appends, {@code count} is the last value written. */
public record Notes(String topic, @Append List<String> notes, Integer count) {
}
