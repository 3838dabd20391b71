package io.graphloop.it;

import io.graphloop.checkpoint.PostgresTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph Server's API on two cluster members (two JVMs from the fat jar, {@code member --role both --serve-port 0}),
 * their coordinators sharing a throwaway PostgreSQL store: a thread created and run to its interrupt through member
 * A's HTTP port is served by member B's (its record, state and history; its owner only: API keys), and continued
 * there (a resume finishes it); A then reads the finished state. Skipped without PostgreSQL binaries unless
 * {@code GRAPHLOOP_REQUIRE_POSTGRES=1}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeClusterIT {

  private static final long READY_MS = 90_000;

  @TempDir
  Path dir;

  private static HttpResponse<Buffer> call(WebClient client, String base, HttpMethod method, String path,
                                           JsonObject body, String key) throws Exception {
    URI uri = URI.create(base);
    var request = client.request(method, uri.getPort(), uri.getHost(), path).putHeader("x-api-key", key);
    return (body == null ? request.send() : request.sendJsonObject(body)).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static String url(String readyLine) {
    return readyLine.split(" ")[2];
  }

  @Test
  void anyMembersServerServesAnyThread() throws Exception {
    List<MemberProcess> members = new ArrayList<>();
    Vertx vertx = null;
    PostgresTestServer postgres = PostgresTestServer.startOrSkip();
    try {
      String store = new JsonObject().put("type", "postgres").put("host", "127.0.0.1").put("port", postgres.port())
          .put("database", postgres.storeOptions().getDatabase()).put("user", postgres.storeOptions().getUser())
          .put("poolSize", 2).encode();
      Path conf = dir.resolve("member.json");
      Files.writeString(conf, new JsonObject().put("server", new JsonObject()
          .put("apiKeys", new JsonArray().add("cluster-a").add("cluster-b"))).encode());
      LoopbackCluster cluster = LoopbackCluster.of(2);
      MemberProcess a = MemberProcess.start("serve-a", cluster.memberArgs(0, "--graphs", "approval",
          "--checkpointer", store, "--conf", conf.toString(), "--serve-port", "0"));
      members.add(a);
      MemberProcess b = MemberProcess.start("serve-b", cluster.memberArgs(1, "--graphs", "approval",
          "--checkpointer", store, "--conf", conf.toString(), "--serve-port", "0"));
      members.add(b);
      String baseA = url(a.awaitLine("server ready", READY_MS));
      String baseB = url(b.awaitLine("server ready", READY_MS));
      a.awaitLine("member ready", READY_MS);
      b.awaitLine("member ready", READY_MS);
      assertFalse(baseA.equals(baseB));
      vertx = Vertx.vertx();
      WebClient client = WebClient.create(vertx);

      String thread = call(client, baseA, HttpMethod.POST, "/threads", new JsonObject(), "cluster-a")
          .bodyAsJsonObject().getString("thread_id");
      JsonObject interrupted = call(client, baseA, HttpMethod.POST, "/threads/" + thread + "/runs/wait",
          new JsonObject().put("assistant_id", "approval").put("input", new JsonObject().put("version", "1.0")),
          "cluster-a").bodyAsJsonObject();
      assertTrue(interrupted.containsKey("__interrupt__"), interrupted.encode());

      assertEquals(404, call(client, baseB, HttpMethod.GET, "/threads/" + thread, null, "cluster-b").statusCode());
      JsonObject state = call(client, baseB, HttpMethod.GET, "/threads/" + thread + "/state", null, "cluster-a")
          .bodyAsJsonObject();
      assertEquals(new JsonArray().add("approve"), state.getJsonArray("next"), state.encode());
      assertEquals("interrupted", call(client, baseB, HttpMethod.GET, "/threads/" + thread, null, "cluster-a")
          .bodyAsJsonObject().getString("status"));
      JsonArray history = call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(),
          "cluster-a").bodyAsJsonArray();
      assertFalse(history.isEmpty());
      assertEquals(state.getString("checkpoint_id"), history.getJsonObject(0).getString("checkpoint_id"));

      JsonObject done = call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
          .put("assistant_id", "approval").put("command", new JsonObject().put("resume", "yes")), "cluster-a")
          .bodyAsJsonObject();
      assertEquals("published", done.getString("outcome"), done.encode());
      JsonObject finalOnA = call(client, baseA, HttpMethod.GET, "/threads/" + thread + "/state", null, "cluster-a")
          .bodyAsJsonObject();
      assertEquals("published", finalOnA.getJsonObject("values").getString("outcome"), finalOnA.encode());
      assertEquals(new JsonArray(), finalOnA.getJsonArray("next"));
    } finally {
      for (MemberProcess member : members) {
        member.stop(20_000);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      postgres.close();
    }
  }
}
