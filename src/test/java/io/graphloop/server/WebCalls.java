package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeUnit;

/**
 * HTTP calls to a server on 127.0.0.1 with vertx-web-client on a Vert.x of its own, for tests: each call waited for
 * on the calling (JUnit) thread, at most {@link ServerFixture#WAIT_SECONDS}.
 */
final class WebCalls implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;

  WebCalls(int port) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** The port of a base URL such as {@code http://127.0.0.1:1234}. */
  static int port(String base) {
    return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
  }

  /** {@code method path} with {@code body} as JSON ({@code null}: none) and header name/value pairs. */
  HttpResponse<Buffer> call(HttpMethod method, String path, Object body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    var request = client.request(method, path).putHeaders(map);
    Future<HttpResponse<Buffer>> answer;
    if (body == null) {
      answer = request.send();
    } else {
      request.putHeader("Content-Type", "application/json");
      answer = request.sendBuffer(body instanceof Buffer ? (Buffer) body : Buffer.buffer(Json.encode(body)));
    }
    return ServerFixture.await(answer);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(ServerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
