package io.graphloop.bench;

import io.graphloop.support.OnLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A latency probe for one event stream at a time: {@code POST /runs/stream} of the seed graph without latency
 * ({@code seed-0ms}), one after another on one HTTP/2 cleartext connection (prior knowledge; {@code --h1}: HTTP/1.1,
 * one kept-alive connection), for {@code --seconds}; each stream timed from its request's send to its response
 * headers, to its first chunk (the {@code metadata} event) and to its end (the run's last {@code values} event). Run
 * beside a load (the streams rows' h2load) it shows what a lone stream waits for while the server's loops are busy,
 * e.g. {@code ServerOptions.http2BatchFlushes} (each HTTP/2 connection's flush deferred to the end of its loop's
 * queued tasks) on against off. Prints one line: the streams probed, failures, and p50 / p99 / max of each time.
 *
 * <pre>
 * java -cp graphloop-bench.jar io.graphloop.bench.ServerBenchProbe --url http://127.0.0.1:PORT [--seconds 5]
 *     [--pause-ms 2] [--h1]
 * </pre>
 *
 * <p>Runs on the main thread, which waits (bounded) for the probe's future; the probe's calls run on one loop of its
 * own Vert.x ({@link OnLoop}), one in flight.
 */
public final class ServerBenchProbe {

  private ServerBenchProbe() {
  }

  public static void main(String[] args) throws Exception {
    List<String> list = List.of(args);
    URI url = URI.create(value(list, "--url", null));
    long seconds = Long.parseLong(value(list, "--seconds", "5"));
    long pauseMs = Long.parseLong(value(list, "--pause-ms", "2"));
    boolean h2 = !list.contains("--h1");
    if (seconds < 1 || seconds > 600 || pauseMs < 0 || pauseMs > 10_000) {
      throw new IllegalArgumentException("--seconds must be 1..600 and --pause-ms 0..10000");
    }
    Vertx vertx = Vertx.vertx();
    try {
      HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(url.getHost())
          .setDefaultPort(url.getPort()).setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
          .setHttp2ClearTextUpgrade(false).setKeepAlive(true));
      Buffer body = Buffer.buffer(new JsonObject().put("assistant_id", ServerBenchServe.FAST)
          .put("input", new JsonObject().put("query", "q")).put("stream_mode", "values").encode());
      Times times = new Times();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      OnLoop.run(vertx, () -> {
        Promise<Void> done = Promise.promise();
        next(vertx, http, body, end, pauseMs, times, done);
        return done.future();
      }).toCompletionStage().toCompletableFuture().get(seconds + 60, TimeUnit.SECONDS);
      System.out.println(times.line(h2));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void next(Vertx vertx, HttpClientAgent http, Buffer body, long end, long pauseMs, Times times,
                           Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    one(http, body, times).onComplete(ended -> {
      if (ended.failed()) {
        times.failed++;
      }
      if (pauseMs == 0) {
        next(vertx, http, body, end, pauseMs, times, done);
      } else {
        vertx.setTimer(pauseMs, id -> next(vertx, http, body, end, pauseMs, times, done));
      }
    });
  }

  /** One stream: its times go to {@code times} when it ends with status 200. */
  private static Future<Void> one(HttpClientAgent http, Buffer body, Times times) {
    long sent = System.nanoTime();
    long[] first = {0};
    Promise<Void> ended = Promise.promise();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/runs/stream")
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body))
        .onFailure(ended::tryFail)
        .onSuccess(response -> {
          long headers = System.nanoTime();
          if (response.statusCode() != 200) {
            ended.tryFail("status " + response.statusCode());
            return;
          }
          response.handler(chunk -> {
            if (first[0] == 0) {
              first[0] = System.nanoTime();
            }
          });
          response.exceptionHandler(ended::tryFail);
          response.endHandler(v -> {
            long last = System.nanoTime();
            if (first[0] == 0) {
              ended.tryFail("no event");
              return;
            }
            times.add(headers - sent, first[0] - sent, last - sent);
            ended.tryComplete();
          });
        });
    return ended.future();
  }

  private static String value(List<String> args, String name, String fallback) {
    int at = args.indexOf(name);
    if (at < 0) {
      if (fallback == null) {
        throw new IllegalArgumentException(name + " is required");
      }
      return fallback;
    }
    if (at + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(at + 1);
  }

  /** The probe's times, in nanoseconds; confined to the probe's loop until the probe ends. */
  private static final class Times {
    private final List<Long> headers = new ArrayList<>();
    private final List<Long> firsts = new ArrayList<>();
    private final List<Long> ends = new ArrayList<>();
    private long failed;

    void add(long header, long first, long end) {
      headers.add(header);
      firsts.add(first);
      ends.add(end);
    }

    String line(boolean h2) {
      return String.format("probe %s: %d streams, %d failed; headers %s; first event %s; end %s (ms p50/p99/max)",
          h2 ? "h2c" : "HTTP/1.1", ends.size(), failed, summary(headers), summary(firsts), summary(ends));
    }

    private static String summary(List<Long> nanos) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return "-";
      }
      return String.format("%.2f/%.2f/%.2f", Stats.percentile(sorted, 0.50) / 1e6, Stats.percentile(sorted, 0.99) / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }
  }
}
