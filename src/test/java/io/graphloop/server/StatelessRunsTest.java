package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /runs/stream} and {@code /runs/wait} served without vertx-web ({@link StatelessRuns}) answer as the
 * router does: each request is sent twice to a real server on 127.0.0.1 (API keys, CORS, a 2 KB body limit), once
 * plain (taken by {@link StatelessRuns}) and once with the CORS {@code Origin} header (which sends it through the
 * router's {@code CorsHandler}, body handler and auth), and both answers must have the same status and body: a run,
 * a missing and a wrong key, bad JSON, a wrong field, a body over the limit (announced by {@code Content-Length}, and
 * chunked without one), over the limit and without a key (the limit is checked first in both). An installer's route
 * on one of the paths keeps it; which routes may take a path is checked on a real router.
 */
@ExtendWith(VertxExtension.class)
class StatelessRunsTest {

  private static final String KEY = "key-of-alice";
  private static final String ORIGIN = "https://app.example";
  private static final int LIMIT = 2048;

  private Vertx vertx;
  private int port;

  @AfterEach
  void stop(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<HttpClient> start(java.util.function.Consumer<ServerVerticle> installers) {
    vertx = Vertx.vertx();
    CompiledGraph echo = SdkGraphs.echo();
    ServerVerticle server = new ServerVerticle(List.of(echo), new ServerOptions().setHost("127.0.0.1").setPort(0)
        .setApiKeys(List.of(KEY)).setCorsOrigins(List.of(ORIGIN)).setMaxBodyBytes(LIMIT));
    installers.accept(server);
    return GraphRuntime.deploy(vertx, echo, new GraphRuntimeOptions().setCheckpointer(new JsonObject()
            .put("type", "memory")))
        .compose(runtime -> vertx.deployVerticle(server))
        .map(id -> {
          port = server.actualPort();
          return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        });
  }

  /** One answer: status, content type and body, with the body's run and thread ids (new per run) blanked. */
  private record Answer(int status, String contentType, String body) {
  }

  /**
   * {@code POST path} with {@code body}; {@code chunked} sends it in 100-byte chunks without a
   * {@code Content-Length}.
   */
  private static Future<Answer> post(HttpClient client, String path, String body, boolean chunked,
                                     Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Content-Type", "application/json");
    headers.forEach(options::putHeader);
    return client.request(options).compose(request -> {
      if (!chunked) {
        return request.send(body);
      }
      request.setChunked(true);
      for (int at = 0; at < body.length(); at += 100) {
        request.write(body.substring(at, Math.min(body.length(), at + 100)));
      }
      request.end();
      return request.response();
    }).compose(response -> response.body().map(text -> new Answer(response.statusCode(),
        response.getHeader("Content-Type"), text.toString()
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>"))));
  }

  /** The same request, plain (served without vertx-web) and as a CORS request (through the router). */
  private static Future<List<Answer>> both(HttpClient client, String path, String body, boolean chunked,
                                           Map<String, String> headers) {
    Map<String, String> cors = new java.util.HashMap<>(headers);
    cors.put("Origin", ORIGIN);
    return post(client, path, body, chunked, headers).compose(direct -> post(client, path, body, chunked, cors)
        .map(routed -> List.of(direct, routed)));
  }

  @Test
  void theDirectRoutesAnswerAsTheRouter(VertxTestContext test) {
    String run = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "hi")).encode();
    String big = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject()
        .put("in", "x".repeat(LIMIT))).encode();
    Map<String, String> key = Map.of("x-api-key", KEY);
    List<String> cases = List.of("run", "no key", "wrong key", "bad JSON", "wrong field", "over the limit",
        "over the limit, chunked", "over the limit, no key", "run, chunked");
    List<Future<List<Answer>>> answers = new ArrayList<>();
    start(server -> { }).onComplete(test.succeeding(client -> {
      answers.add(both(client, "/runs/wait", run, false, key));
      answers.add(both(client, "/runs/wait", run, false, Map.of()));
      answers.add(both(client, "/runs/wait", run, false, Map.of("x-api-key", "not-a-key")));
      answers.add(both(client, "/runs/wait", "{\"assistant_id\": ", false, key));
      answers.add(both(client, "/runs/wait", new JsonObject().put("assistant_id", 5).encode(), false, key));
      answers.add(both(client, "/runs/wait", big, false, key));
      answers.add(both(client, "/runs/stream", big, true, key));
      answers.add(both(client, "/runs/stream", big, false, Map.of()));
      answers.add(both(client, "/runs/wait", run, true, key));
      Future.all(answers).onComplete(test.succeeding(all -> test.verify(() -> {
        List<Integer> statuses = List.of(200, 401, 401, 400, 422, 413, 413, 413, 200);
        for (int i = 0; i < cases.size(); i++) {
          List<Answer> pair = answers.get(i).result();
          assertEquals(statuses.get(i), pair.get(0).status(), cases.get(i) + ": " + pair.get(0));
          assertEquals(pair.get(1), pair.get(0), cases.get(i) + ": direct and routed answers differ");
          assertEquals("application/json", pair.get(0).contentType(), cases.get(i));
        }
        assertEquals("hi!", new JsonObject(answers.get(0).result().get(0).body()).getString("out"));
        assertTrue(answers.get(5).result().get(0).body().contains("maxBodyBytes"));
        test.completeNow();
      })));
    }));
  }

  @Test
  void aStreamOverTheDirectRoute(VertxTestContext test) {
    String run = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "hi"))
        .put("stream_mode", "values").encode();
    start(server -> { }).compose(client -> post(client, "/runs/stream", run, false, Map.of("x-api-key", KEY)))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertEquals(200, answer.status(), answer.body());
          assertTrue(answer.contentType().startsWith("text/event-stream"), answer.contentType());
          assertTrue(answer.body().startsWith("event: metadata\n"), answer.body());
          assertTrue(answer.body().contains("\"out\":\"hi!\""), answer.body());
          test.completeNow();
        })));
  }

  @Test
  void anInstallersRouteOnAPathKeepsIt(VertxTestContext test) {
    String run = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "hi")).encode();
    Map<String, String> key = Map.of("x-api-key", KEY);
    start(server -> server.routes(router -> router.post("/runs/wait").handler(ctx -> ctx.json(new JsonObject()
        .put("installed", true)))))
        .compose(client -> post(client, "/runs/wait", run, false, key)
            .compose(wait -> post(client, "/runs/stream", run, false, key).map(stream -> List.of(wait, stream))))
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          assertEquals(new JsonObject().put("installed", true), new JsonObject(answers.get(0).body()));
          assertEquals(200, answers.get(1).status());
          assertTrue(answers.get(1).body().contains("\"out\":\"hi!\""), answers.get(1).body());
          test.completeNow();
        })));
  }

  @Test
  void whichRoutesMayTakeAPath(VertxTestContext test) {
    vertx = Vertx.vertx();
    vertx.runOnContext(v -> test.verify(() -> {
      Router router = Router.router(vertx);
      assertFalse(StatelessRuns.mayMatch(router.get("/metrics"), StatelessRuns.WAIT));
      assertFalse(StatelessRuns.mayMatch(router.get("/runs/wait"), StatelessRuns.WAIT), "another method");
      assertFalse(StatelessRuns.mayMatch(router.post("/runs"), StatelessRuns.WAIT));
      assertFalse(StatelessRuns.mayMatch(router.post("/studio/*"), StatelessRuns.WAIT));
      assertTrue(StatelessRuns.mayMatch(router.post("/runs/wait"), StatelessRuns.WAIT));
      assertTrue(StatelessRuns.mayMatch(router.post("/runs/wait/"), StatelessRuns.WAIT));
      assertTrue(StatelessRuns.mayMatch(router.route(), StatelessRuns.WAIT), "every path");
      assertTrue(StatelessRuns.mayMatch(router.route("/runs/*"), StatelessRuns.WAIT), "a prefix");
      assertTrue(StatelessRuns.mayMatch(router.route("/:what/wait"), StatelessRuns.WAIT), "a pattern");
      assertTrue(StatelessRuns.mayMatch(router.routeWithRegex(".*"), StatelessRuns.WAIT), "a regex");
      test.completeNow();
    }));
  }
}
