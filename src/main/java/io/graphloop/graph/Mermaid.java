package io.graphloop.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mermaid flowchart text for a {@link GraphDrawing}, character for character what LangGraph 1.2.12's
 * {@code get_graph().draw_mermaid()} writes (langchain_core's {@code graph_mermaid.draw_mermaid} with its
 * defaults): front matter with a linear curve, tab-indented lines, START and END as stadium shapes marked
 * {@code first}/{@code last}, conditional edges dotted with their path-map labels, subgraph nodes grouped in
 * {@code subgraph ... end} blocks, ids outside {@code [A-Za-z0-9_-]} escaped as {@code \hex}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Mermaid {

  private static final String MARKDOWN_SPECIAL = "*_`";
  private static final int WRAP_WORDS = 9;

  private Mermaid() {
  }

  /** The Mermaid text of {@code drawing}, with styles (LangGraph's {@code draw_mermaid()} default). */
  public static String render(GraphDrawing drawing) {
    return render(drawing, true);
  }

  /**
   * The Mermaid text of {@code drawing}; without styles ({@code draw_mermaid(with_styles=False)}) only the
   * {@code graph TD;} line, the edges and the {@code subgraph ... end} blocks around them: no front matter, no node
   * lines, no class definitions, no subgraph that has no edges.
   */
  public static String render(GraphDrawing drawing, boolean withStyles) {
    GraphDrawing.Node first = drawing.firstNode();
    GraphDrawing.Node last = drawing.lastNode();
    StringBuilder out = new StringBuilder(withStyles
        ? "---\nconfig:\n  flowchart:\n    curve: linear\n---\ngraph TD;\n" : "graph TD;\n");
    Map<String, Map<String, GraphDrawing.Node>> subgraphNodes = new LinkedHashMap<>();
    for (GraphDrawing.Node node : drawing.nodes()) {
      int colon = node.id().lastIndexOf(':');
      if (colon >= 0) {
        subgraphNodes.computeIfAbsent(node.id().substring(0, colon), k -> new LinkedHashMap<>()).put(node.id(), node);
      } else if (withStyles) {
        renderNode(out, node, first, last);
      }
    }
    if (!withStyles) {
      subgraphNodes.clear(); // neither a subgraph's node lines nor its edgeless subgraph blocks are drawn
    }
    Map<String, List<GraphDrawing.Edge>> groups = new LinkedHashMap<>();
    for (GraphDrawing.Edge edge : drawing.edges()) {
      groups.computeIfAbsent(commonPrefix(edge.source(), edge.target()), k -> new ArrayList<>()).add(edge);
    }
    Set<String> seen = new LinkedHashSet<>();
    Context context = new Context(out, groups, subgraphNodes, seen, first, last);
    context.subgraph(groups.getOrDefault("", List.of()), "");
    for (Map.Entry<String, List<GraphDrawing.Edge>> group : groups.entrySet()) {
      if (!group.getKey().isEmpty() && group.getKey().indexOf(':') < 0) {
        context.subgraph(group.getValue(), group.getKey());
        seen.add(group.getKey());
      }
    }
    for (Map.Entry<String, Map<String, GraphDrawing.Node>> group : subgraphNodes.entrySet()) {
      if (group.getKey().indexOf(':') < 0 && seen.add(group.getKey())) {
        out.append("\tsubgraph ").append(group.getKey()).append('\n');
        group.getValue().values().forEach(node -> renderNode(out, node, first, last));
        out.append("\tend\n");
      }
    }
    if (!withStyles) {
      return out.toString();
    }
    out.append("\tclassDef default fill:#f2f0ff,line-height:1.2\n")
        .append("\tclassDef first fill-opacity:0\n")
        .append("\tclassDef last fill:#bfb6fc\n");
    return out.toString();
  }

  /** One level of edges (and nested levels), as langchain_core's {@code add_subgraph}. */
  private record Context(StringBuilder out, Map<String, List<GraphDrawing.Edge>> groups,
      Map<String, Map<String, GraphDrawing.Node>> subgraphNodes, Set<String> seen, GraphDrawing.Node first,
      GraphDrawing.Node last) {

    void subgraph(List<GraphDrawing.Edge> edges, String prefix) {
      boolean selfLoop = edges.size() == 1 && edges.get(0).source().equals(edges.get(0).target());
      if (!prefix.isEmpty() && !selfLoop) {
        String name = prefix.substring(prefix.lastIndexOf(':') + 1);
        if (!seen.add(name)) {
          throw new IllegalStateException("Found duplicate subgraph '" + name + "': subgraph nodes need unique names");
        }
        out.append("\tsubgraph ").append(name).append('\n');
        subgraphNodes.getOrDefault(prefix, Map.of()).values().forEach(node -> renderNode(out, node, first, last));
      }
      for (GraphDrawing.Edge edge : edges) {
        out.append('\t').append(safeId(edge.source())).append(label(edge)).append(safeId(edge.target()))
            .append(";\n");
      }
      for (Map.Entry<String, List<GraphDrawing.Edge>> nested : groups.entrySet()) {
        String key = nested.getKey();
        if (key.startsWith(prefix + ":") && !key.equals(prefix) && key.indexOf(':', prefix.length() + 1) < 0) {
          subgraph(nested.getValue(), key);
        }
      }
      if (!prefix.isEmpty() && !selfLoop) {
        out.append("\tend\n");
      }
    }
  }

  private static String label(GraphDrawing.Edge edge) {
    if (edge.data() == null) {
      return edge.conditional() ? " -.-> " : " --> ";
    }
    String[] words = edge.data().trim().split("\\s+");
    String data = edge.data();
    if (words.length > WRAP_WORDS) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < words.length; i += WRAP_WORDS) {
        lines.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, Math.min(words.length, i + WRAP_WORDS))));
      }
      data = String.join("&nbsp<br>&nbsp", lines);
    }
    return edge.conditional() ? " -. &nbsp;" + data + "&nbsp; .-> " : " -- &nbsp;" + data + "&nbsp; --> ";
  }

  private static void renderNode(StringBuilder out, GraphDrawing.Node node, GraphDrawing.Node first,
      GraphDrawing.Node last) {
    String name = node.name().substring(node.name().lastIndexOf(':') + 1);
    String label = !name.isEmpty() && MARKDOWN_SPECIAL.indexOf(name.charAt(0)) >= 0
        && MARKDOWN_SPECIAL.indexOf(name.charAt(name.length() - 1)) >= 0 ? "<p>" + name + "</p>" : name;
    if (!node.metadata().isEmpty()) {
      List<String> entries = new ArrayList<>();
      node.metadata().forEach((key, value) -> entries.add(key + " = " + python(value)));
      label = label + "<hr/><small><em>" + String.join("\n", entries) + "</em></small>";
    }
    String id = safeId(node.id());
    out.append('\t');
    if (first != null && node.id().equals(first.id())) {
      out.append(id).append("([").append(label).append("]):::first");
    } else if (last != null && node.id().equals(last.id())) {
      out.append(id).append("([").append(label).append("]):::last");
    } else {
      out.append(id).append('(').append(label).append(')');
    }
    out.append('\n');
  }

  private static String python(Object value) {
    return value instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(value);
  }

  private static String commonPrefix(String source, String target) {
    String[] from = source.split(":", -1);
    String[] to = target.split(":", -1);
    List<String> common = new ArrayList<>();
    for (int i = 0; i < Math.min(from.length, to.length); i++) {
      if (from[i].equals(to[i])) {
        common.add(from[i]);
      }
    }
    return String.join(":", common);
  }

  /** langchain_core's {@code _to_safe_id}: keep {@code [a-zA-Z0-9_-]}, write anything else as {@code \hex}. */
  static String safeId(String id) {
    StringBuilder safe = new StringBuilder(id.length());
    id.codePoints().forEach(c -> {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        safe.appendCodePoint(c);
      } else {
        safe.append('\\').append(Integer.toHexString(c));
      }
    });
    return safe.toString();
  }
}
