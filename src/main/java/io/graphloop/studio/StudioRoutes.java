package io.graphloop.studio;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The studio page, {@code /studio}: one HTML page, its script and style, and Mermaid (vendored, see
 * {@code io/graphloop/studio/web/vendor/README.txt}), all served from the jar; the page needs no internet. The page
 * talks only to the server's public HTTP API (LangGraph Server's), so it works with auth on (it asks for an API key
 * or a bearer token and sends it with each call) and documents that API by example.
 *
 * <p>The page's files are static and hold nothing secret, so they are mounted before the server's auth handler:
 * {@code GET /studio} answers without credentials, every API call the page makes is checked as usual.
 *
 * <p>Thread rules: {@link #mount} runs once, on the server verticle's context, while the router is built; the
 * handlers then run on the request's event loop and never block (vertx-web's {@link StaticHandler} reads the
 * resources asynchronously and caches them).
 */
public final class StudioRoutes {

  /** Where the page is served. */
  public static final String PATH = "/studio";

  /** The classpath folder of the page's files. */
  static final String WEB_ROOT = "io/graphloop/studio/web";

  /** How long a browser may keep the page's files, in seconds: short, so a new server version shows at once. */
  private static final long MAX_AGE_SECONDS = 60;

  /** Mounts {@code /studio} (redirecting to {@code /studio/}, keeping the query) and {@code /studio/*} on {@code router}. */
  public void mount(Router router) {
    router.get(PATH).handler(ctx -> {
      if (!ctx.request().path().equals(PATH)) {                 // vertx-web matches "/studio/" here too
        ctx.next();
        return;
      }
      String query = ctx.request().query();
      ctx.response().setStatusCode(302)
          .putHeader(HttpHeaders.LOCATION, PATH + "/" + (query == null ? "" : "?" + query)).end();
    });
    router.get(PATH + "/*").handler(StaticHandler.create(WEB_ROOT)
        .setIndexPage("index.html")
        .setMaxAgeSeconds(MAX_AGE_SECONDS)
        .setDirectoryListing(false)
        .setIncludeHidden(false));
  }
}
