package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's security over real HTTP on 127.0.0.1 with vertx-web-client: API keys ({@code x-api-key}) and JWT
 * bearer tokens (HS256, made here with vertx-auth-jwt), refusals as LangGraph's 401 {@code {"detail": ...}}, each
 * thread and run belonging to the user who created it (another user gets 404 on every route, as LangGraph's
 * custom-auth model answers), and CORS (allowed origins, preflight, refused origins).
 *
 * <p>The JUnit thread waits (bounded) for the client's futures; the client runs on its own Vert.x.
 */
class ServerSecurityTest {

  private static final String KEY_A = "key-of-alice";
  private static final String KEY_B = "key-of-bob";
  private static final String SECRET = "a-test-secret-of-32-bytes-or-more!!";
  private static final String ORIGIN = "https://app.example";

  private static ServerFixture server;
  private static Vertx clientVertx;
  private static WebClient client;
  private static JWTAuth tokens;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(new ServerOptions().setApiKeys(List.of(KEY_A, KEY_B))
        .setJwt(new JsonObject().put("algorithm", "HS256").put("secret", SECRET).put("issuer", "graphloop-test"))
        .setCorsOrigins(List.of(ORIGIN)));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(Integer.parseInt(server.base.substring(server.base.lastIndexOf(':') + 1))));
    tokens = JWTAuth.create(clientVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(SECRET)));
  }

  @AfterAll
  static void stop() {
    ServerFixture.await(clientVertx.close());
    server.close();
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, Object body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    var request = client.request(method, path).putHeaders(map);
    Future<HttpResponse<Buffer>> answer = body == null ? request.send()
        : request.sendBuffer(Buffer.buffer(io.vertx.core.json.Json.encode(body)));
    try {
      return answer.toCompletionStage().toCompletableFuture().get(ServerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    }
  }

  private static String[] alice() {
    return new String[] {"x-api-key", KEY_A, "Content-Type", "application/json"};
  }

  private static String[] bob() {
    return new String[] {"x-api-key", KEY_B, "Content-Type", "application/json"};
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token, "Content-Type", "application/json"};
  }

  private static String token(JsonObject claims, JWTOptions options) {
    return tokens.generateToken(claims, options.setAlgorithm("HS256"));
  }

  private static String token(String subject) {
    return token(new JsonObject().put("sub", subject), new JWTOptions().setIssuer("graphloop-test")
        .setExpiresInSeconds(600));
  }

  /** A refusal in LangGraph's shape: the status, a JSON {@code {"detail"}} naming {@code fragment}, no stack trace. */
  private static void refused(HttpResponse<Buffer> answer, int status, String fragment) {
    assertEquals(status, answer.statusCode(), answer.bodyAsString());
    assertTrue(answer.getHeader("Content-Type").startsWith("application/json"), answer.headers().toString());
    JsonObject body = answer.bodyAsJsonObject();
    assertEquals(List.of("detail"), List.copyOf(body.fieldNames()), body.encode());
    assertTrue(body.getString("detail").contains(fragment), "'" + body.getString("detail") + "' should say '"
        + fragment + "'");
    assertFalse(answer.bodyAsString().contains("\tat "), "no stack trace");
  }

  private static JsonObject ok(HttpResponse<Buffer> answer) {
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  @Test
  void missingOrWrongCredentialsAre401InLangGraphsShape() {
    refused(call(HttpMethod.POST, "/threads/search", new JsonObject()), 401, "x-api-key");
    refused(call(HttpMethod.GET, "/info", null), 401, "Authorization: Bearer");
    refused(call(HttpMethod.GET, "/assistants/echo", null, "x-api-key", "not-a-key"), 401, "API key");
    refused(call(HttpMethod.POST, "/runs/wait", new JsonObject().put("assistant_id", "echo"),
        "x-api-key", KEY_A.substring(1)), 401, "API key");
    refused(call(HttpMethod.POST, "/runs/stream", new JsonObject().put("assistant_id", "echo"),
        "Authorization", "Basic dXNlcjpwdw=="), 401, "Authentication required");
    // /ok stays open: health checks and load balancers call it without credentials
    assertEquals(new JsonObject().put("ok", true), ok(call(HttpMethod.GET, "/ok", null)));
  }

  @Test
  void badBearerTokensAre401() {
    String forged = JWTAuth.create(clientVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer("another-secret-of-32-bytes-or-more!!")))
        .generateToken(new JsonObject().put("sub", "mallory"), new JWTOptions().setIssuer("graphloop-test"));
    refused(call(HttpMethod.GET, "/info", null, bearer(forged)), 401, "bearer token is not valid");
    String expired = token(new JsonObject().put("sub", "alice").put("exp", System.currentTimeMillis() / 1000 - 3600),
        new JWTOptions().setIssuer("graphloop-test"));
    refused(call(HttpMethod.GET, "/info", null, bearer(expired)), 401, "bearer token is not valid");
    String otherIssuer = token(new JsonObject().put("sub", "alice"), new JWTOptions().setIssuer("someone-else"));
    refused(call(HttpMethod.GET, "/info", null, bearer(otherIssuer)), 401, "bearer token is not valid");
    String noSubject = token(new JsonObject().put("name", "alice"), new JWTOptions().setIssuer("graphloop-test"));
    refused(call(HttpMethod.GET, "/info", null, bearer(noSubject)), 401, "no 'sub'");
    refused(call(HttpMethod.GET, "/info", null, bearer("not.a.jwt")), 401, "bearer token is not valid");
    assertEquals(new JsonArray().add("echo").add("slow").add("hitl").add("boom"),
        ok(call(HttpMethod.GET, "/info", null, bearer(token("alice")))).getJsonArray("graphs"));
  }

  @Test
  void aThreadBelongsToItsCreatorAndIsNotFoundForOthers() {
    String thread = ok(call(HttpMethod.POST, "/threads", new JsonObject().put("metadata",
        new JsonObject().put("topic", "secret")), alice())).getString("thread_id");
    JsonObject done = ok(call(HttpMethod.POST, "/threads/" + thread + "/runs/wait",
        new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "hi")), alice()));
    assertEquals("hi!", done.getString("out"));
    String checkpoint = call(HttpMethod.GET, "/threads/" + thread + "/state", null, alice()).bodyAsJsonObject()
        .getString("checkpoint_id");
    assertNotNull(checkpoint);
    String notFound = "Thread '" + thread + "' not found";
    String[] path = {"/threads/" + thread};
    refused(call(HttpMethod.GET, path[0], null, bob()), 404, notFound);
    refused(call(HttpMethod.PATCH, path[0], new JsonObject().put("metadata", new JsonObject().put("x", 1)), bob()),
        404, notFound);
    refused(call(HttpMethod.GET, path[0] + "/state", null, bob()), 404, notFound);
    refused(call(HttpMethod.GET, path[0] + "/state/" + checkpoint, null, bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/state/checkpoint", new JsonObject().put("checkpoint",
        new JsonObject().put("checkpoint_id", checkpoint)), bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/state", new JsonObject().put("values",
        new JsonObject().put("in", "hijack")), bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/history", new JsonObject(), bob()), 404, notFound);
    refused(call(HttpMethod.GET, path[0] + "/history", null, bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/copy", new JsonObject(), bob()), 404, notFound);
    refused(call(HttpMethod.GET, path[0] + "/runs", null, bob()), 404, notFound);
    refused(call(HttpMethod.GET, path[0] + "/stream", null, bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")), bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")).put("if_not_exists", "create"), bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/runs/stream", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")), bob()), 404, notFound);
    refused(call(HttpMethod.POST, path[0] + "/runs", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")), bob()), 404, notFound);
    refused(call(HttpMethod.DELETE, path[0], null, bob()), 404, notFound);
    // search and count do not list it for bob; the same user, through a JWT, is another user too
    JsonArray bobs = call(HttpMethod.POST, "/threads/search", new JsonObject().put("metadata",
        new JsonObject().put("topic", "secret")), bob()).bodyAsJsonArray();
    assertEquals(new JsonArray(), bobs);
    assertEquals("0", call(HttpMethod.POST, "/threads/count", new JsonObject().put("metadata",
        new JsonObject().put("topic", "secret")), bob()).bodyAsString());
    refused(call(HttpMethod.GET, path[0], null, bearer(token("alice"))), 404, notFound);
    // alice still has it, untouched, and can delete it
    JsonArray alices = call(HttpMethod.POST, "/threads/search", new JsonObject().put("ids",
        new JsonArray().add(thread)), alice()).bodyAsJsonArray();
    assertEquals(1, alices.size());
    assertEquals("hi", alices.getJsonObject(0).getJsonObject("values").getString("in"));
    assertNull(alices.getJsonObject(0).getJsonObject("metadata").getValue("x"));
    assertFalse(call(HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(), alice())
        .bodyAsJsonArray().isEmpty());
    assertEquals(204, call(HttpMethod.DELETE, path[0], null, alice()).statusCode());
    refused(call(HttpMethod.GET, path[0], null, alice()), 404, notFound);
  }

  @Test
  void aRunBelongsToItsCreatorAndIsNotFoundForOthers() {
    String user = "carol";
    String thread = ok(call(HttpMethod.POST, "/threads", new JsonObject(), bearer(token(user))))
        .getString("thread_id");
    JsonObject run = ok(call(HttpMethod.POST, "/threads/" + thread + "/runs", new JsonObject()
        .put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", 60_000)), bearer(token(user))));
    String runPath = "/threads/" + thread + "/runs/" + run.getString("run_id");
    String[] dave = bearer(token("dave"));
    String notFound = "Thread '" + thread + "' not found";
    refused(call(HttpMethod.GET, runPath, null, dave), 404, notFound);
    refused(call(HttpMethod.GET, runPath + "/join", null, dave), 404, notFound);
    refused(call(HttpMethod.GET, runPath + "/stream", null, dave), 404, notFound);
    refused(call(HttpMethod.POST, runPath + "/cancel", new JsonObject(), dave), 404, notFound);
    refused(call(HttpMethod.DELETE, runPath, null, dave), 404, notFound);
    // the run is untouched by those: still running for carol, who cancels it
    assertEquals("running", ok(call(HttpMethod.GET, runPath, null, bearer(token(user)))).getString("status"));
    assertEquals(204, call(HttpMethod.POST, runPath + "/cancel?wait=true", new JsonObject(), bearer(token(user)))
        .statusCode());
    assertEquals("interrupted", ok(call(HttpMethod.GET, runPath, null, bearer(token(user)))).getString("status"));
  }

  @Test
  void anAssistantBelongsToItsCreatorAndTheSystemAssistantsToNoUser() {
    // an assistant alice creates over a graph is hers: bob gets 404 for it everywhere, as for her threads; the
    // system assistants (one per graph) are shared, so no user may change or delete them (403)
    JsonObject mine = ok(call(HttpMethod.POST, "/assistants", new JsonObject().put("graph_id", "echo")
        .put("name", "alices"), alice()));
    String path = "/assistants/" + mine.getString("assistant_id");
    assertEquals("alices", ok(call(HttpMethod.GET, path, null, alice())).getString("name"));
    String notFound = "Assistant '" + mine.getString("assistant_id") + "'";
    refused(call(HttpMethod.GET, path, null, bob()), 404, notFound);
    refused(call(HttpMethod.PATCH, path, new JsonObject().put("name", "bobs"), bob()), 404, notFound);
    refused(call(HttpMethod.DELETE, path, null, bob()), 404, notFound);
    refused(call(HttpMethod.POST, path + "/versions", new JsonObject(), bob()), 404, notFound);
    refused(call(HttpMethod.POST, "/runs/wait", new JsonObject().put("assistant_id", mine.getString("assistant_id"))
        .put("input", new JsonObject().put("in", "x")), bob()), 404, notFound);
    refused(call(HttpMethod.POST, "/assistants", new JsonObject().put("graph_id", "echo")
        .put("assistant_id", mine.getString("assistant_id")).put("if_exists", "do_nothing"), bob()), 409,
        "already exists");
    assertEquals(4, call(HttpMethod.POST, "/assistants/search", new JsonObject(), bob()).bodyAsJsonArray().size());
    assertEquals(5, call(HttpMethod.POST, "/assistants/search", new JsonObject(), alice()).bodyAsJsonArray().size());
    refused(call(HttpMethod.DELETE, "/assistants/echo", null, bob()), 403, "create your own");
    refused(call(HttpMethod.PATCH, "/assistants/echo", new JsonObject().put("name", "x"), alice()), 403,
        "system assistant");
    assertEquals("x!", ok(call(HttpMethod.POST, "/runs/wait", new JsonObject()
        .put("assistant_id", mine.getString("assistant_id")).put("input", new JsonObject().put("in", "x")), alice()))
        .getString("out"));
    assertEquals(204, call(HttpMethod.DELETE, path, null, alice()).statusCode());
  }

  @Test
  void eachUserHasAStoreOfTheirOwn() {
    // the same namespace and key for two users are two items; neither sees the other's, and the user's id that the
    // server puts in front of their namespaces never shows
    JsonArray notes = new JsonArray().add("notes");
    assertEquals(204, call(HttpMethod.PUT, "/store/items", new JsonObject().put("namespace", notes).put("key", "k")
        .put("value", new JsonObject().put("who", "alice")), alice()).statusCode());
    assertEquals("null", call(HttpMethod.GET, "/store/items?namespace=notes&key=k", null, bob()).bodyAsString());
    assertEquals(0, ok(call(HttpMethod.POST, "/store/items/search", new JsonObject(), bob())).getJsonArray("items")
        .size());
    assertEquals(0, ok(call(HttpMethod.POST, "/store/namespaces", new JsonObject(), bob())).getJsonArray("namespaces")
        .size());
    assertEquals(204, call(HttpMethod.PUT, "/store/items", new JsonObject().put("namespace", notes).put("key", "k")
        .put("value", new JsonObject().put("who", "bob")), bob()).statusCode());
    JsonObject mine = ok(call(HttpMethod.GET, "/store/items?namespace=notes&key=k", null, alice()));
    assertEquals(new JsonObject().put("who", "alice"), mine.getJsonObject("value"));
    assertEquals(notes, mine.getJsonArray("namespace"));
    assertEquals(new JsonArray().add(notes), ok(call(HttpMethod.POST, "/store/namespaces", new JsonObject()
        .put("max_depth", 1), alice())).getJsonArray("namespaces"));
    JsonArray found = ok(call(HttpMethod.POST, "/store/items/search", new JsonObject(), bob())).getJsonArray("items");
    assertEquals(1, found.size());
    assertEquals("bob", found.getJsonObject(0).getJsonObject("value").getString("who"));
    assertEquals(notes, found.getJsonObject(0).getJsonArray("namespace"));
  }

  @Test
  void corsAllowsTheConfiguredOriginAndPreflightNeedsNoCredentials() {
    HttpResponse<Buffer> preflight = call(HttpMethod.OPTIONS, "/threads/search", null, "Origin", ORIGIN,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-api-key");
    assertTrue(preflight.statusCode() == 204 || preflight.statusCode() == 200, preflight.bodyAsString());
    assertEquals(ORIGIN, preflight.getHeader("Access-Control-Allow-Origin"));
    assertTrue(preflight.getHeader("Access-Control-Allow-Methods").contains("POST"));
    assertTrue(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("x-api-key"));
    HttpResponse<Buffer> actual = call(HttpMethod.POST, "/threads/search", new JsonObject(), "Origin", ORIGIN,
        "x-api-key", KEY_A, "Content-Type", "application/json");
    assertEquals(200, actual.statusCode(), actual.bodyAsString());
    assertEquals(ORIGIN, actual.getHeader("Access-Control-Allow-Origin"));
    // a refusal still carries the CORS headers, so the browser shows the 401 rather than a CORS error
    HttpResponse<Buffer> unauthenticated = call(HttpMethod.POST, "/threads/search", new JsonObject(),
        "Origin", ORIGIN, "Content-Type", "application/json");
    refused(unauthenticated, 401, "Authentication required");
    assertEquals(ORIGIN, unauthenticated.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void corsRefusesAnotherOrigin() {
    HttpResponse<Buffer> preflight = call(HttpMethod.OPTIONS, "/threads/search", null, "Origin",
        "https://evil.example", "Access-Control-Request-Method", "POST");
    refused(preflight, 403, "Origin 'https://evil.example' may not call this server");
    assertNull(preflight.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> actual = call(HttpMethod.POST, "/threads/search", new JsonObject(), "Origin",
        "https://evil.example", "x-api-key", KEY_A, "Content-Type", "application/json");
    refused(actual, 403, "corsOrigins");
  }

  @Test
  void withoutAuthTheServerRefusesAHostOtherThanLoopback() {
    Vertx vertx = Vertx.vertx();
    try {
      // 192.0.2.1 (TEST-NET-1) is nobody's address: once the refusal is lifted, listening fails on the bind instead
      Throwable refusal = deployFailure(vertx, new ServerOptions().setHost("192.0.2.1").setPort(0));
      assertTrue(refusal.getMessage().contains("with no authentication"), refusal.getMessage());
      assertTrue(refusal.getMessage().contains("--allow-unauthenticated"), refusal.getMessage());
      assertTrue(refusal.getMessage().contains("127.0.0.1"), refusal.getMessage());
      Throwable allowed = deployFailure(vertx, new ServerOptions().setHost("192.0.2.1").setPort(0)
          .setAllowUnauthenticated(true));
      assertFalse(allowed.getMessage().contains("with no authentication"), allowed.getMessage());
      Throwable withKeys = deployFailure(vertx, new ServerOptions().setHost("192.0.2.1").setPort(0)
          .setApiKeys(List.of(KEY_A)));
      assertFalse(withKeys.getMessage().contains("with no authentication"), withKeys.getMessage());
    } finally {
      ServerFixture.await(vertx.close());
    }
  }

  private static Throwable deployFailure(Vertx vertx, ServerOptions options) {
    try {
      vertx.deployVerticle(new ServerVerticle(List.of(new io.graphloop.graph.StateGraph("noop")
          .addNode("noop", state -> Future.succeededFuture(java.util.Map.of()))
          .addEdge(io.graphloop.graph.StateGraph.START, "noop").addEdge("noop", io.graphloop.graph.StateGraph.END)
          .compile()), options)).toCompletionStage()
          .toCompletableFuture().get(ServerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the server started on " + options.getHost());
  }

  @Test
  void withoutCorsOriginsNoCorsHeadersAreSent() {
    try (ServerFixture plain = ServerFixture.start()) {
      int port = Integer.parseInt(plain.base.substring(plain.base.lastIndexOf(':') + 1));
      HttpResponse<Buffer> answer;
      try {
        answer = client.get(port, "127.0.0.1", "/ok").putHeader("Origin", ORIGIN).send().toCompletionStage()
            .toCompletableFuture().get(ServerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      assertEquals(200, answer.statusCode());
      assertNull(answer.getHeader("Access-Control-Allow-Origin"));
    }
  }
}
