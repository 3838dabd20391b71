package io.graphloop.internal.bus;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory of loop-local listeners and the per-sender cache of its answers ({@link LoopAffinity.Routes}). */
@ExtendWith(VertxExtension.class)
class LoopAffinityTest {

  @Test
  void cachedRoutesSeeListenersThatComeGoAndComeBack(Vertx vertx, VertxTestContext test) {
    test.verify(() -> {
      LoopAffinity affinity = new LoopAffinity(vertx);
      String a = LoopAffinity.onThisLoop("graphloop.g.node.a");
      String b = LoopAffinity.onThisLoop("graphloop.g.node.b");
      LoopAffinity.Routes routes = affinity.routes(new String[] {a, b});
      assertNull(routes.target(0));
      assertFalse(routes.listened(0));

      List<Object> first = new ArrayList<>();
      LoopAffinity.LocalTarget one = first::add;
      affinity.register(a, one);
      assertSame(one, routes.target(0), "a listener recorded after the cache was made is found");
      assertTrue(routes.listened(0));
      assertNull(routes.target(1), "the other address still has none");

      affinity.unregister(a, one);
      assertNull(routes.target(0), "a stopped listener is no longer handed messages");
      assertFalse(routes.listened(0));

      LoopAffinity.LocalTarget redeployed = body -> { };
      affinity.register(a, redeployed);
      assertSame(redeployed, routes.target(0), "the redeployed listener is found");
      affinity.unregister(a, redeployed);
    });
    test.completeNow();
  }

  @Test
  void severalListenersOfOneAddressTakeTurnsAndAPlainListenerHasNoTarget(Vertx vertx, VertxTestContext test) {
    test.verify(() -> {
      LoopAffinity affinity = new LoopAffinity(vertx);
      String a = LoopAffinity.onThisLoop("graphloop.turns.node.a");
      String plain = LoopAffinity.onThisLoop("graphloop.turns.run");
      LoopAffinity.LocalTarget one = body -> { };
      LoopAffinity.LocalTarget two = body -> { };
      affinity.register(a, one);
      affinity.register(a, two);
      affinity.register(plain);
      LoopAffinity.Routes routes = affinity.routes(new String[] {a, plain});
      LoopAffinity.LocalTarget x = routes.target(0);
      LoopAffinity.LocalTarget y = routes.target(0);
      assertNotEquals(x, y, "two instances on one loop share its requests");
      assertSame(x, routes.target(0));
      assertTrue(routes.listened(1), "a listener without a target is still a listener");
      assertNull(routes.target(1));
      assertEquals(plain, affinity.choose(plain, null));
      affinity.unregister(a, one);
      assertSame(two, routes.target(0));
      assertSame(two, routes.target(0));
      affinity.unregister(a, two);
      affinity.unregister(plain);
      assertNull(affinity.choose(plain, null));
    });
    test.completeNow();
  }

  @Test
  void loopAddressesAreInternedSoTheBusFindsThemByIdentity(VertxTestContext test) {
    test.verify(() -> assertSame(LoopAffinity.onThisLoop("graphloop.g.node.n"),
        LoopAffinity.onThisLoop(new String("graphloop.g.node.n"))));
    test.completeNow();
  }

  @Test
  void everyVerticleSharesOneInstancePerVertxThatSeesTheDirectory(Vertx vertx, VertxTestContext test) {
    test.verify(() -> {
      LoopAffinity shared = LoopAffinity.of(vertx);
      assertSame(shared, LoopAffinity.of(vertx), "one instance per Vert.x, not one per verticle");
      String address = LoopAffinity.onThisLoop("graphloop.shared.node.a");
      LoopAffinity.LocalTarget target = body -> { };
      new LoopAffinity(vertx).register(address, target);
      assertEquals(address, shared.choose(address, null), "a view and the shared instance read one directory");
      assertSame(target, shared.routes(new String[] {address}).target(0));
      shared.unregister(address, target);
      assertNull(new LoopAffinity(vertx).choose(address, null));
      Vertx other = Vertx.vertx();
      try {
        assertNotEquals(shared, LoopAffinity.of(other), "another Vert.x has its own");
      } finally {
        other.close();
      }
    });
    test.completeNow();
  }
}
