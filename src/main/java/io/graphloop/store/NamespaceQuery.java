package io.graphloop.store;

import java.util.List;

/**
 * Which namespaces {@link Store#listNamespaces} lists, as LangGraph's {@code list_namespaces}: those that start with
 * {@code prefix} and end with {@code suffix} (either may hold {@code "*"}, matching any one label), cut to their first
 * {@code maxDepth} labels (then de-duplicated), sorted, then {@code offset}/{@code limit}.
 *
 * <p>Immutable.
 *
 * @param prefix   labels the namespace starts with, or {@code null}/empty for any
 * @param suffix   labels the namespace ends with, or {@code null}/empty for any
 * @param maxDepth the number of labels kept, or {@code null} for all
 * @param limit    at most this many (LangGraph's default 100)
 * @param offset   skip this many first
 */
public record NamespaceQuery(List<String> prefix, List<String> suffix, Integer maxDepth, int limit, int offset) {

  /** LangGraph's default page size. */
  public static final int DEFAULT_LIMIT = 100;

  public NamespaceQuery {
    prefix = prefix == null ? List.of() : List.copyOf(prefix);
    suffix = suffix == null ? List.of() : List.copyOf(suffix);
    if (maxDepth != null && maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1 (or absent for full namespaces), got " + maxDepth);
    }
    StoreRules.checkPage(limit, offset);
  }

  /** Every namespace, first page. */
  public static NamespaceQuery all() {
    return new NamespaceQuery(null, null, null, DEFAULT_LIMIT, 0);
  }
}
