package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The option group of {@link GraphRuntimeOptions} that says what a member does: whether it runs coordinators
 * ({@code coordinator}) and which nodes it hosts ({@code nodes}: {@code null} for all, empty for none). Same JSON
 * names and errors as before the group was split out.
 *
 * <p>Thread rules: immutable (the node list is copied); any thread.
 */
record MemberRole(boolean coordinator, List<String> nodes) {

  MemberRole {
    nodes = nodes == null ? null : List.copyOf(nodes);
  }

  /** Reads {@code coordinator} (default true) and {@code nodes} (default all) of runtime options' JSON. */
  static MemberRole fromJson(JsonObject json) {
    Object isCoordinator = json.getValue("coordinator");
    if (isCoordinator != null && !(isCoordinator instanceof Boolean)) {
      throw new IllegalArgumentException("Field 'coordinator' of runtime options must be true or false, was "
          + isCoordinator + ".");
    }
    JsonArray hosted = JsonFields.optionalArray(json, "nodes", "runtime options");
    List<String> names = null;
    if (hosted != null) {
      names = new ArrayList<>();
      for (Object name : hosted) {
        if (!(name instanceof String)) {
          throw new IllegalArgumentException("Field 'nodes' of runtime options must list node names, but holds "
              + name + ".");
        }
        names.add((String) name);
      }
    }
    return new MemberRole(isCoordinator == null || (Boolean) isCoordinator, names);
  }

  /** Puts {@code coordinator}, and {@code nodes} when not all, into {@code json}. */
  void writeTo(JsonObject json) {
    json.put("coordinator", coordinator);
    if (nodes != null) {
      json.put("nodes", new JsonArray(new ArrayList<>(nodes)));
    }
  }
}
