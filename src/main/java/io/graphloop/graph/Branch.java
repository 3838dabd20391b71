package io.graphloop.graph;

import java.util.Map;

/**
 * A conditional edge: after {@code source} runs, {@code router} picks the next node(s).
 *
 * @param source  the node the edge leaves ({@link StateGraph#START} for the entry)
 * @param router  the routing function
 * @param pathMap maps the router's return values to node names (or END); {@code null} when the router
 *                returns node names directly
 */
public record Branch(String source, Router router, Map<String, String> pathMap) {

  public Branch {
    pathMap = pathMap == null ? null : Map.copyOf(pathMap);
  }
}
