package io.graphloop.store;

import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The other JVM of {@link StoreAcrossJvmsIT}: joins the test's cluster on 127.0.0.1 and, on request, opens long-term
 * stores ({@link InMemoryStore}) behind {@link StoreVerticle}s at fresh addresses, each on a clock the test moves.
 *
 * <pre>
 * java -cp TEST_CLASSPATH io.graphloop.store.StoreHost CLUSTER_XML PORT MEMBER,MEMBER...
 * </pre>
 *
 * <p>Addresses: {@link #OPEN} ({@code {"options": {...}, "clock": id}} answers the store's address), {@link #ADVANCE}
 * ({@code {"clock": id, "ms": n}}, answered once that clock moved), {@link #CLOSE} ({@code {"address": a}}: closes
 * and undeploys that store). Prints {@code STORE HOST READY} once it listens. Handlers run on its event loop.
 */
public final class StoreHost {

  static final String OPEN = "graphloop.it.storehost.open";
  static final String ADVANCE = "graphloop.it.storehost.advance";
  static final String CLOSE = "graphloop.it.storehost.close";

  private StoreHost() {
  }

  public static void main(String[] args) throws Exception {
    ClusterOptions cluster = new ClusterOptions().setClusterConfig(args[0]).setHost("127.0.0.1")
        .setPort(Integer.parseInt(args[1])).setMembers(Arrays.asList(args[2].split(",")));
    Vertx vertx = ClusteredVertx.start(cluster).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    Map<String, MutableClock> clocks = new ConcurrentHashMap<>();
    Map<String, String> deployments = new ConcurrentHashMap<>();
    Map<String, Store> stores = new ConcurrentHashMap<>();
    vertx.eventBus().<JsonObject>consumer(OPEN, message -> {
      JsonObject body = message.body();
      String address = "graphloop.it.store." + UUID.randomUUID();
      Store store = new InMemoryStore(vertx, new StoreOptions(body.getJsonObject("options")),
          clocks.computeIfAbsent(body.getString("clock"), id -> new MutableClock()));
      vertx.deployVerticle(new StoreVerticle(store, address)).onComplete(deployed -> {
        if (deployed.succeeded()) {
          deployments.put(address, deployed.result());
          stores.put(address, store);
          message.reply(address);
        } else {
          message.fail(500, String.valueOf(deployed.cause()));
        }
      });
    }).completion()
        .compose(v -> vertx.eventBus().<JsonObject>consumer(ADVANCE, message -> {
          MutableClock clock = clocks.computeIfAbsent(message.body().getString("clock"), id -> new MutableClock());
          clock.advance(java.time.Duration.ofMillis(message.body().getLong("ms")));
          message.reply(clock.instant().toString());
        }).completion())
        .compose(v -> vertx.eventBus().<JsonObject>consumer(CLOSE, message -> {
          String address = message.body().getString("address");
          String deployment = deployments.remove(address);
          Store store = stores.remove(address);
          (store == null ? io.vertx.core.Future.<Void>succeededFuture() : store.close())
              .compose(closed -> deployment == null ? io.vertx.core.Future.<Void>succeededFuture()
                  : vertx.undeploy(deployment))
              .onComplete(done -> message.reply(done.succeeded()));
        }).completion())
        .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    System.out.println("STORE HOST READY");
    System.out.flush();
  }
}
