package io.graphloop.state;

import io.graphloop.errors.InvalidUpdateException;

import java.util.ArrayList;
import java.util.List;

/**
 * The default channel: holds the last value written, and accepts at most one write per superstep.
 * Two writes in one step are refused with an {@link InvalidUpdateException} naming the channel, the
 * step and the writers: concurrent writers must say how to combine, never last-writer-wins. An {@link Overwrite}
 * write stores its value.
 *
 * <p>Stateless and thread-safe; a single instance is shared.
 */
public final class LastValueChannel implements Channel {

  static final LastValueChannel INSTANCE = new LastValueChannel();

  private LastValueChannel() {
  }

  @Override
  public Object update(String name, boolean present, Object current, List<Write> writes, int step) {
    if (writes.size() > 1) {
      List<String> writers = new ArrayList<>(writes.size());
      for (Write w : writes) {
        writers.add(w.node());
      }
      throw new InvalidUpdateException("Channel '" + name + "' received " + writes.size() + " writes at step "
          + step + " from nodes " + writers + ", but it is a last-value channel, which accepts one write per "
          + "step. Give it a reducer (StateGraph.channel(\"" + name + "\", Channels.append()) or "
          + "Channels.reducer(...)), or let only one node write it per step.",
          null, null, step, name, writers);
    }
    Object value = writes.get(0).value();
    return Overwrite.isOverwrite(value) ? Overwrite.valueOf(value) : value;
  }

  @Override
  public String kind() {
    return "last-value";
  }
}
