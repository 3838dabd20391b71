package io.graphloop.runtime;

import io.graphloop.client.RunEventStream;
import io.graphloop.run.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every event of a stream, opened on a Vert.x context, once it has ended (for tests). */
final class StreamCollector {

  private StreamCollector() {
  }

  /** Every event of the stream {@code open} starts on a Vert.x context, the terminal one last. */
  static Future<List<StreamEvent>> collect(Vertx vertx, Supplier<RunEventStream> open) {
    Promise<List<StreamEvent>> all = Promise.promise();
    vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = open.get();
      stream.handler(events::add);
      stream.exceptionHandler(all::tryFail);
      stream.endHandler(end -> all.tryComplete(events));
    });
    return all.future();
  }
}
