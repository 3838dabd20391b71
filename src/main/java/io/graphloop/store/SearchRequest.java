package io.graphloop.store;

import java.util.List;
import java.util.Map;

/**
 * What {@link Store#search} looks for, as LangGraph's {@code search}: items whose namespace starts with
 * {@code namespacePrefix}, whose value matches {@code filter}, newest update first, then {@code offset}/{@code limit}.
 *
 * <p>A filter maps value fields to what they must be: a plain value (equal; objects and lists compared field by field,
 * as LangGraph's in-memory store does), or an object of operators {@code $eq}, {@code $ne}, {@code $gt}, {@code $gte},
 * {@code $lt}, {@code $lte} (the last four on numbers). Semantic search ({@code query}) needs a vector index, which
 * Graphloop does not have: a query is refused with a clear error rather than ignored.
 *
 * <p>Immutable (the filter is copied).
 *
 * @param namespacePrefix labels the namespace starts with (empty: every namespace)
 * @param filter          conditions on the value's fields, or {@code null}/empty for none
 * @param limit           at most this many (LangGraph's default 10)
 * @param offset          skip this many first
 * @param refreshTtl      whether reading refreshes the items' TTL; {@code null} for the store's default
 */
public record SearchRequest(List<String> namespacePrefix, Map<String, Object> filter, int limit, int offset,
                            Boolean refreshTtl) {

  /** LangGraph's default page size. */
  public static final int DEFAULT_LIMIT = 10;

  public SearchRequest {
    namespacePrefix = namespacePrefix == null ? List.of() : List.copyOf(namespacePrefix);
    filter = filter == null ? Map.of() : StoreRules.frozenValue(filter, "the filter");
    StoreRules.checkFilter(filter);
    StoreRules.checkPage(limit, offset);
  }

  /** Items under {@code namespacePrefix}, first page, no filter. */
  public static SearchRequest under(List<String> namespacePrefix) {
    return new SearchRequest(namespacePrefix, null, DEFAULT_LIMIT, 0, null);
  }

  /** The same request with {@code filter}. */
  public SearchRequest withFilter(Map<String, ?> filter) {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = filter == null ? null : (Map<String, Object>) (Map<String, ?>) filter;
    return new SearchRequest(namespacePrefix, copy, limit, offset, refreshTtl);
  }

  /** The same request with {@code limit} and {@code offset}. */
  public SearchRequest page(int limit, int offset) {
    return new SearchRequest(namespacePrefix, filter, limit, offset, refreshTtl);
  }
}
