/**
 * A modular Vert.x application using Graphloop: it requires the module io.graphloop, provides its graph as a
 * GraphProvider service, and opens its state record's package to Graphloop and Jackson, which read it by reflection.
 */
module org.example.modular {
  requires io.graphloop;   // brings io.vertx.core, io.vertx.web, io.vertx.web.client and Jackson (requires transitive)

  opens org.example.modular to io.graphloop, com.fasterxml.jackson.databind;

  provides io.graphloop.cluster.GraphProvider with org.example.modular.NotesGraph;

  exports org.example.modular;
}
