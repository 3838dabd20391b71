package io.graphloop.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;

import java.util.List;
import java.util.Set;

/**
 * {@code POST /runs/stream} and {@code POST /runs/wait}, the server's hot routes, served from the HTTP server's
 * request handler without vertx-web: no {@code RoutingContext}, no walk over the router's routes, no
 * {@code BodyHandler} (whose body buffer starts at 1 KB per request). Everything the router does in front of these
 * routes is done here in the same order, with the same answers: the body limit ({@link ServerOptions#getMaxBodyBytes}:
 * 413 at once for a {@code Content-Length} over it, else as soon as the bytes read pass it), then authentication
 * ({@link Auth}: 401), then the body's JSON and fields ({@link RunBody}: 400, 422), and every refusal as
 * {@code {"detail": ...}} ({@link ServerVerticle#answer}).
 *
 * <p>A request is taken here only when the router would do exactly that: {@code POST} on exactly one of the two
 * paths (any other spelling, a trailing slash, goes to the router); not a CORS request when CORS is configured
 * (its {@code Origin} header sends it to the router's {@code CorsHandler}); and no route an installer added
 * ({@link ServerVerticle#publicRoutes}, {@link ServerVerticle#routes}) could match it (a route without a path, a
 * pattern or a regex that might is taken to match: the path then stays the router's). Every other request is the
 * router's.
 *
 * <p>Thread rules: one instance per HTTP instance, made on its event loop; {@link #handle} is called there, for the
 * requests of that instance's connections, and the run is created on that loop, as the router's stateless routes do.
 */
final class StatelessRuns {

  static final String STREAM = "/runs/stream";
  static final String WAIT = "/runs/wait";

  private final RunRoutes routes;
  private final Auth auth;
  private final long maxBodyBytes;
  private final boolean cors;
  private final boolean stream;
  private final boolean await;

  /**
   * @param installed the routes the installers added to the router in front of the API's routes, which may take
   *                  one of the two paths from this handler
   */
  StatelessRuns(RunRoutes routes, Auth auth, ServerOptions options, List<Route> installed) {
    this.routes = routes;
    this.auth = auth;
    this.maxBodyBytes = options.getMaxBodyBytes();
    this.cors = !options.getCorsOrigins().isEmpty();
    this.stream = installed.stream().noneMatch(route -> mayMatch(route, STREAM));
    this.await = installed.stream().noneMatch(route -> mayMatch(route, WAIT));
  }

  /** Whether {@code route} might take a {@code POST} of {@code path} (when unsure: yes). */
  static boolean mayMatch(Route route, String path) {
    Set<HttpMethod> methods = route.methods();
    if (methods != null && !methods.isEmpty() && !methods.contains(HttpMethod.POST)) {
      return false;
    }
    String prefix = route.getPath();
    if (route.isRegexPath() || prefix == null) {
      return true;
    }
    if (route.isExactPath()) {
      return prefix.equals(path) || prefix.equals(path + "/");
    }
    return path.startsWith(prefix) || (path + "/").equals(prefix);
  }

  /** Whether {@code path} is served here (not shadowed by an installer's route). */
  boolean serves(String path) {
    return STREAM.equals(path) ? stream : WAIT.equals(path) && await;
  }

  /**
   * Serves {@code request} when it is one of the two routes, answering it; returns {@code false} (nothing read,
   * nothing answered) for every other request, which the caller hands to the router.
   */
  boolean handle(HttpServerRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      return false;
    }
    String path = request.path();
    boolean streamed;
    if (STREAM.equals(path) && stream) {
      streamed = true;
    } else if (WAIT.equals(path) && await) {
      streamed = false;
    } else {
      return false;
    }
    if (cors && request.headers().contains("Origin")) {
      return false;
    }
    long length = contentLength(request.getHeader("Content-Length"));
    if (length > maxBodyBytes) {
      refuse(request, new ApiException(413, "The request body is larger than the server's limit "
          + "(ServerOptions.maxBodyBytes)."));
      return true;
    }
    new Reading(request, streamed).start();
    return true;
  }

  /** The {@code Content-Length} header's value, or -1 when absent or not a number (as vertx-web's BodyHandler). */
  private static long contentLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void refuse(HttpServerRequest request, Throwable failure) {
    ServerVerticle.answer(request.response(), failure, -1, request.getHeader("Origin"));
  }

  /** One request's body as it is read, bounded by the limit; then the request is authenticated and served. */
  private final class Reading implements Handler<Buffer> {
    private final HttpServerRequest request;
    private final boolean streamed;
    /** The body so far: the first chunk as it came (most bodies are one), then a copy that grows. */
    private Buffer body;
    private boolean copied;
    private boolean refused;

    Reading(HttpServerRequest request, boolean streamed) {
      this.request = request;
      this.streamed = streamed;
    }

    void start() {
      request.handler(this);
      request.endHandler(ended -> {
        if (!refused) {
          authenticated();
        }
      });
    }

    @Override
    public void handle(Buffer chunk) {
      if (refused) {
        return;
      }
      if (body == null) {
        body = chunk;
      } else {
        if (!copied) {
          body = Buffer.buffer(body.length() + chunk.length() * 2).appendBuffer(body);
          copied = true;
        }
        body.appendBuffer(chunk);
      }
      if (body.length() > maxBodyBytes) {
        refused = true;
        body = null;
        refuse(request, new ApiException(413, "The request body is larger than the server's limit "
            + "(ServerOptions.maxBodyBytes)."));
      }
    }

    private void authenticated() {
      auth.authenticate(request, request.path()).onComplete(user -> {
        if (user.failed()) {
          refuse(request, user.cause());
          return;
        }
        Handler<Throwable> fail = failure -> refuse(request, failure);
        try {
          RunBody run = RunRoutes.runBody(request, body, null);
          if (streamed) {
            routes.stream(request.response(), run, null, user.result(), fail);
          } else {
            routes.await(request.response(), run, null, user.result(), fail);
          }
        } catch (RuntimeException e) {
          fail.handle(e);
        }
      });
    }
  }
}
