package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's threads and time-travel example true. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ThreadsExampleTest {

  @Test
  void theChatRemembersReplaysAndForks(Vertx vertx, VertxTestContext test) {
    ThreadsExample.run(vertx).onComplete(test.succeeding(lines -> test.verify(() -> {
      assertEquals(List.of(
          "state: [hi, reply to 'hi' (message 1), how are you?, reply to 'how are you?' (message 3)] next=[]",
          "history: step 4 loop next=[] results=[]", // steps go on across a thread's runs, as LangGraph's
          "history: step 3 loop next=[reply] results=[{messages=reply to 'how are you?' (message 3)}]",
          "history: step 2 input next=[__start__] results=[{messages=how are you?}]", // START's result: the input
          "history: step 1 loop next=[] results=[]",
          "history: step 0 loop next=[reply] results=[{messages=reply to 'hi' (message 1)}]",
          "history: step -1 input next=[__start__] results=[{messages=hi}]",
          "replay: [hi, reply to 'hi' (message 1), how are you?, reply to 'how are you?' (message 3)]",
          "fork: update [hi, reply to 'hi' (message 1), what's new?] next=[reply]",
          "after fork: [hi, reply to 'hi' (message 1), what's new?, reply to 'what's new?' (message 3)]"), lines);
      test.completeNow();
    })));
  }
}
