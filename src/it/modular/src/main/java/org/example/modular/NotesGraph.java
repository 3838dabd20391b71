package org.example.modular;

import io.graphloop.cluster.GraphProvider;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.graph.Update;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The application's graph over a typed state, registered with {@code provides} in module-info.java:
 * {@code START -> (search, archive) -> tally -> END}.
 */
public final class NotesGraph implements GraphProvider {

  public static final String NAME = "notes";

  public static final TypedStateGraph<Notes> TYPED = StateGraph.typed(NAME, Notes.class)
      .addNode("search", (state, ctx) -> ctx.vertx().timer(5)
          .map(t -> new Notes(null, List.of("web: " + state.topic()), null)))
      .addNode("archive", state -> Future.succeededFuture(new Notes(null, List.of("archive: " + state.topic()), null)))
      // an Update naming a component by its accessor: Graphloop reads the method reference from this module
      .addUpdateNode("tally", state -> Future.succeededFuture(Update.of(new Notes(null, null, null))
          .set(Notes::count, state.count() == null ? 1 : state.count() + 1)))
      .addEdge(START, "search")
      .addEdge(START, "archive")
      .addEdge(List.of("search", "archive"), "tally")
      .addEdge("tally", END);

  @Override
  public Set<String> names() {
    return Set.of(NAME);
  }

  @Override
  public CompiledGraph graph(String name) {
    return TYPED.compile();
  }
}
