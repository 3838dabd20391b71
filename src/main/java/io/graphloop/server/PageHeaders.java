package io.graphloop.server;

import io.vertx.ext.web.RoutingContext;

/**
 * The paging headers of a search answer ({@code POST /threads/search}, {@code POST /assistants/search}), the ones
 * LangGraph Server sends and the JS SDK reads ({@code assistants.search({includePagination: true})} returns
 * {@code X-Pagination-Next} as {@code next}): {@code X-Pagination-Total} is the number of matches before paging,
 * {@code X-Pagination-Next} the offset of the next page, sent only while matches remain after this page.
 *
 * <p>{@code langgraphjs dev} 1.5.1 sends {@code offset + matches} as the total and a next offset only when the
 * number of matches equals the requested limit (see src/docs/server-differences.md); Graphloop sends the values
 * the headers are meant to carry.
 *
 * <p>Thread rules: stateless; call on the request's event loop, before the body is written.
 */
final class PageHeaders {
  static final String TOTAL = "X-Pagination-Total";
  static final String NEXT = "X-Pagination-Next";

  private PageHeaders() {
  }

  /**
   * Sets the headers of a page of {@code pageSize} items at {@code offset} out of {@code total} matches.
   */
  static void set(RoutingContext ctx, long total, int offset, int pageSize) {
    ctx.response().putHeader(TOTAL, Long.toString(total));
    long next = (long) offset + pageSize;
    if (pageSize > 0 && next < total) {
      ctx.response().putHeader(NEXT, Long.toString(next));
    }
  }
}
