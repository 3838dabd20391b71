package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Who is calling: an API key in {@code x-api-key} (each key is a user of its own), or a JWT bearer token
 * ({@code Authorization: Bearer ...}, checked by vertx-auth-jwt; the user is its {@code sub}). With neither
 * configured every caller is anonymous and nothing has an owner. With auth on, a request without valid credentials
 * is refused with 401 (except {@code GET /ok}), and what a user creates belongs to that user: another user gets 404.
 *
 * <p>Thread rules: the handler runs on the request's event loop and never blocks (key comparison in memory, JWT
 * verification in vertx-auth-jwt).
 */
final class Auth {

  /** Where the handler puts the user's name in the routing context. */
  static final String USER = "graphloop.user";

  private final List<byte[]> keyDigests = new ArrayList<>();
  private final JWTAuth jwt;
  private final boolean enabled;

  Auth(Vertx vertx, ServerOptions options) {
    options.getApiKeys().forEach(key -> keyDigests.add(sha256(key)));
    jwt = options.getJwt() == null ? null : JWTAuth.create(vertx, jwtOptions(options.getJwt()));
    enabled = options.authEnabled();
  }

  /** The calling user, or {@code null} when auth is off. */
  static String user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  void handle(RoutingContext ctx) {
    authenticate(ctx.request(), ctx.normalizedPath()).onComplete(user -> {
      if (user.failed()) {
        ctx.fail(user.cause());
        return;
      }
      if (user.result() != null) {
        ctx.put(USER, user.result());
      }
      ctx.next();
    });
  }

  /**
   * The user of {@code request} (its path {@code path}): {@code null} when auth is off (and for {@code /ok} and a
   * CORS preflight), else the key's or the token's user; a failed future ({@link ApiException} 401) when its
   * credentials are missing or not valid. Completed at once except for a JWT, which vertx-auth-jwt verifies
   * asynchronously. Call on the request's event loop.
   */
  Future<String> authenticate(HttpServerRequest request, String path) {
    if (!enabled || "/ok".equals(path) || HttpMethod.OPTIONS.equals(request.method())) {
      return Future.succeededFuture();
    }
    String key = request.getHeader("x-api-key");
    if (key != null) {
      byte[] digest = sha256(key);
      for (int i = 0; i < keyDigests.size(); i++) {
        if (MessageDigest.isEqual(digest, keyDigests.get(i))) {
          return Future.succeededFuture("api-key:" + HexFormat.of().formatHex(digest, 0, 8));
        }
      }
      return Future.failedFuture(new ApiException(401, "The API key in header 'x-api-key' is not valid."));
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) && jwt != null) {
      return jwt.authenticate(new TokenCredentials(authorization.substring(7).trim())).transform(user -> {
        String subject = user.succeeded() ? user.result().principal().getString("sub") : null;
        if (subject == null || subject.isBlank()) {
          return Future.failedFuture(new ApiException(401, user.succeeded() ? "The bearer token has no 'sub' (the "
              + "user)." : "The bearer token is not valid: " + user.cause().getMessage()));
        }
        return Future.succeededFuture("jwt:" + subject);
      });
    }
    return Future.failedFuture(new ApiException(401, "Authentication required: send an API key in header "
        + "'x-api-key'" + (jwt == null ? "" : " or a JWT in 'Authorization: Bearer <token>'") + "."));
  }

  private static JWTAuthOptions jwtOptions(JsonObject config) {
    String algorithm = config.getString("algorithm", "HS256");
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(algorithm);
    if (config.getString("secret") != null) {
      key.setBuffer(config.getString("secret"));
    } else if (config.getString("publicKey") != null) {
      key.setBuffer(config.getString("publicKey"));
    } else {
      throw new IllegalArgumentException("Server option 'jwt' needs 'secret' (HS256) or 'publicKey' (a PEM, RS256/"
          + "ES256), was " + config.fieldNames() + ".");
    }
    JWTOptions checks = new JWTOptions();
    if (config.getString("issuer") != null) {
      checks.setIssuer(config.getString("issuer"));
    }
    if (config.getString("audience") != null) {
      checks.addAudience(config.getString("audience"));
    }
    return new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-256", e);
    }
  }
}
