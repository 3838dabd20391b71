package io.graphloop.engine;

import java.util.Map;

/**
 * The successful outcome of a {@link Task}: its partial update.
 *
 * @param task   the task
 * @param update the channels it writes, values already frozen (see {@code Values.freezeUpdate})
 */
public record TaskResult(Task task, Map<String, Object> update) {
}
