package io.graphloop.studio;

import io.graphloop.server.ServerExtension;
import io.graphloop.server.ServerVerticle;
import io.vertx.core.Vertx;

/**
 * Puts the studio page ({@link StudioRoutes}, {@code /studio}) on every server {@code serve} starts (listed in
 * {@code META-INF/services/io.graphloop.server.ServerExtension}). The page's files are public routes (served before
 * the auth handler: they hold nothing secret); every API call the page makes is checked as usual. An application
 * that deploys {@link ServerVerticle} itself adds the page with
 * {@code server.publicRoutes(router -> new StudioRoutes().mount(router))}.
 *
 * <p>Thread rules: {@link #install} runs on the thread that builds the server; the routes it adds are mounted on the
 * verticle's event loop.
 */
public final class StudioExtension implements ServerExtension {

  @Override
  public void install(Vertx vertx, ServerVerticle server) {
    server.publicRoutes(router -> new StudioRoutes().mount(router));
  }
}
