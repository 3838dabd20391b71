package io.graphloop.examples;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.agents.ReactAgent;
import io.graphloop.agents.Tool;
import io.graphloop.client.RunEventStream;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The README's agent example and the CLI's {@code agent} graph: a ReAct agent ({@link ReactAgent}) with two tools,
 * {@code add(a, b)} and {@code multiply(a, b)}, on an OpenAI-compatible model; state {@code {"messages": [...]}}.
 * The model is configured from the environment ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY},
 * {@code GRAPHLOOP_MODEL}; see {@link OpenAiOptions#fromConfig}).
 *
 * <p>{@link #main} runs one conversation and prints its tokens as the model streams them (LangGraph's
 * {@code messages} mode): against {@code OPENAI_BASE_URL} when set, else against a {@link FakeChatServer} it starts
 * on 127.0.0.1 (a scripted stand-in speaking OpenAI's wire format, not a model). Run it with
 * {@code java -cp target/graphloop.jar io.graphloop.examples.AgentExample "What is 6 times 7?"}.
 *
 * <p>Stateless and thread-safe; every call compiles a new (immutable) graph.
 */
public final class AgentExample {

  /** The graph's name. */
  public static final String NAME = "agent";

  /** The arguments of both tools. */
  public record Operands(long a, long b) {
  }

  /** {@code add(a, b)}. */
  public static final Tool ADD = Tool.of("add", "Adds a and b.", Operands.class,
      args -> Future.succeededFuture(Math.addExact(args.a(), args.b())));
  /** {@code multiply(a, b)}. */
  public static final Tool MULTIPLY = Tool.of("multiply", "Multiplies a and b.", Operands.class,
      args -> Future.succeededFuture(Math.multiplyExact(args.a(), args.b())));

  /** The agent's system prompt. */
  public static final String SYSTEM_PROMPT = "You are a helpful assistant. Use the tools for arithmetic.";

  private AgentExample() {
  }

  /** The agent on the model {@code model} names. */
  public static CompiledGraph graph(OpenAiOptions model) {
    return ReactAgent.builder(ReactAgent.openAi(model), List.of(ADD, MULTIPLY)).name(NAME)
        .systemPrompt(SYSTEM_PROMPT).compile();
  }

  /** The agent on the model the environment names ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, ...). */
  public static CompiledGraph fromEnvironment() {
    return graph(OpenAiOptions.fromConfig(null, System.getenv()));
  }

  /**
   * Deploys the agent on {@code model} and runs one conversation on {@code question}, streaming {@code messages}:
   * {@code token} sees each chunk's text as it comes (tool calls stream as chunks without text). The future holds
   * the final state's messages.
   */
  public static Future<List<Message>> ask(Vertx vertx, OpenAiOptions model, String question,
      java.util.function.Consumer<String> token) {
    return GraphRuntime.deploy(vertx, graph(model)).compose(runtime -> {
      Promise<List<Message>> done = Promise.promise();
      vertx.runOnContext(v -> {                                       // consume on an event loop
        RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(Message.human(question))),
            new RunOptions(), StreamMode.MESSAGES);
        stream.handler(event -> {
          if (event.event() == io.graphloop.run.StreamEventType.MESSAGES) {
            JsonObject message = new JsonObject(event.data()).getJsonObject("message", new JsonObject());
            if (message.getString("type", "").equals("AIMessageChunk") && message.getValue("content") instanceof String) {
              token.accept(message.getString("content"));
            }
          } else if (event.isTerminal()) {
            Object values = event.data().get("values");
            done.tryComplete(values instanceof Map<?, ?> map
                ? io.graphloop.agents.AddMessages.read(map.get("messages")) : List.of());
          }
        });
        stream.exceptionHandler(done::tryFail);
        stream.endHandler(end -> done.tryFail("the stream ended without the run's final state"));
      });
      return done.future().eventually(runtime::undeploy);
    });
  }

  public static void main(String[] args) {
    String question = args.length > 0 ? String.join(" ", args) : "What is 6 times 7?";
    Vertx vertx = Vertx.vertx();
    String configured = System.getenv("OPENAI_BASE_URL");
    Future<OpenAiOptions> model = configured != null && !configured.isBlank()
        ? Future.succeededFuture(OpenAiOptions.fromConfig(null, System.getenv()))
        : FakeChatServer.start(vertx, 0).map(fake -> new OpenAiOptions().setBaseUrl(fake.baseUrl()).setModel("fake"));
    model.compose(options -> ask(vertx, options, question, token -> {
      System.out.print(token);
      System.out.flush();
    })).onComplete(result -> {
      System.out.println();
      if (result.succeeded()) {
        result.result().forEach(m -> System.out.println(m.type() + ": " + m.text()));
      } else {
        System.out.println("failed: " + result.cause());
      }
      vertx.close();
    });
  }
}
