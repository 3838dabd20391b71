package io.graphloop.agents;

import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A prebuilt ReAct agent, as LangGraph's {@code create_react_agent}: a graph {@code START -> agent}, {@code agent ->
 * tools} while the model's last answer calls tools ({@link ToolsCondition}), {@code tools -> agent}, else
 * {@code agent -> END}; state {@code {"messages": [...]}} merged by {@code add_messages}.
 *
 * <ul>
 *   <li>{@code agent} calls the model with the tools offered and the optional system prompt put before the history
 *       (not stored in the state, as LangGraph's {@code prompt}). Its answer streams in the run's {@code messages}
 *       mode when the run asks for it.</li>
 *   <li>{@code tools} is a {@link ToolNode}: the calls of one answer run in parallel; a call to an unknown tool or
 *       with arguments that do not fit becomes an error {@link ToolMessage} for the model. A tool that fails fails
 *       the run, as LangGraph 1.2.12's default ({@code handle_tool_errors} re-raises what is not an invocation
 *       error), unless {@link Builder#handleToolErrors(boolean) handleToolErrors(true)}: then its failure is
 *       returned to the model as an error tool message too.</li>
 *   <li>The step limit is the run's recursion limit ({@code RunOptions.setRecursionLimit}, LangGraph's
 *       {@code recursion_limit}, default 25): when fewer than 2 steps remain ({@link NodeContext#remainingSteps()})
 *       and the model still asks for tools, the agent answers {@value #NEED_MORE_STEPS} instead and the run ends
 *       normally, as LangGraph's {@code remaining_steps} check; a graph that would go past it fails with a
 *       recursion error.</li>
 *   <li>{@link Builder#interruptBeforeTools()} pauses before each tool round (a breakpoint) so a person can approve
 *       the calls; resume the thread with no input to run them.</li>
 * </ul>
 *
 * <p>The model is made per node execution from its context ({@code ctx -> new OpenAiChatModel(ctx.vertx(),
 * ctx.webClient(), options)}, see {@link #openAi(OpenAiOptions)}), so it uses the deployment's HTTP client. The
 * built graph is immutable and thread-safe.
 */
public final class ReactAgent {

  /** LangGraph's answer when the step limit leaves no room for another tool round. */
  public static final String NEED_MORE_STEPS = "Sorry, need more steps to process this request.";

  private ReactAgent() {
  }

  /** A builder for an agent whose model is made from each node execution's context by {@code model}. */
  public static Builder builder(Function<NodeContext, ChatModel> model, List<Tool> tools) {
    return new Builder(model, tools);
  }

  /** The model factory of an OpenAI-compatible endpoint, on the deployment's HTTP client. */
  public static Function<NodeContext, ChatModel> openAi(OpenAiOptions options) {
    OpenAiOptions copy = new OpenAiOptions(Objects.requireNonNull(options, "options"));
    return ctx -> new OpenAiChatModel(ctx.vertx(), ctx.webClient(), copy);
  }

  /** Builds a ReAct agent graph. Not thread-safe; the graph it builds is. */
  public static final class Builder {
    private final Function<NodeContext, ChatModel> model;
    private final List<Tool> tools;
    private String name = "agent";
    private String systemPrompt;
    private boolean handleToolErrors;
    private boolean interruptBeforeTools;

    private Builder(Function<NodeContext, ChatModel> model, List<Tool> tools) {
      this.model = Objects.requireNonNull(model, "model");
      this.tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
    }

    /** The graph's name (default {@code agent}). */
    public Builder name(String graphName) {
      this.name = Objects.requireNonNull(graphName, "graphName");
      return this;
    }

    /** A system prompt sent before the conversation on every model call (not stored in the state). */
    public Builder systemPrompt(String prompt) {
      this.systemPrompt = prompt;
      return this;
    }

    /** Whether a failing tool's error goes back to the model as a tool message (default false: the run fails). */
    public Builder handleToolErrors(boolean handle) {
      this.handleToolErrors = handle;
      return this;
    }

    /** Pause before the {@code tools} node (for a person's approval); needs a run on a thread. */
    public Builder interruptBeforeTools() {
      this.interruptBeforeTools = true;
      return this;
    }

    /** The agent's graph, uncompiled (to add nodes or options). */
    public StateGraph graph() {
      ToolNode toolNode = new ToolNode(tools).handleToolErrors(handleToolErrors);
      StateGraph graph = new StateGraph(name).channel("messages", Channels.messages())
          .addNode("agent", new AgentNode(model, tools, systemPrompt))
          .addNode("tools", toolNode)
          .addEdge(StateGraph.START, "agent")
          .addConditionalEdges("agent", ToolsCondition.INSTANCE, ToolsCondition.PATHS)
          .addEdge("tools", "agent");
      if (interruptBeforeTools) {
        graph.interruptBefore("tools");
      }
      return graph;
    }

    /** The agent's graph, compiled. */
    public CompiledGraph compile() {
      return graph().compile();
    }
  }

  /** The {@code agent} node: one model call over the history, with the tools offered. Stateless. */
  private static final class AgentNode implements AsyncNode {
    private final Function<NodeContext, ChatModel> model;
    private final ChatRequest request;
    private final SystemMessage prompt;

    AgentNode(Function<NodeContext, ChatModel> model, List<Tool> tools, String systemPrompt) {
      this.model = model;
      this.request = ChatRequest.withTools(tools);
      this.prompt = systemPrompt == null ? null : Message.system(systemPrompt);
    }

    @Override
    public Future<?> apply(State state, NodeContext ctx) {
      List<Message> history = AddMessages.read(state.get("messages"));
      List<Message> input = history;
      if (prompt != null) {
        input = new ArrayList<>(history.size() + 1);
        input.add(prompt);
        input.addAll(history);
      }
      int remaining = ctx.remainingSteps();
      return model.apply(ctx).invoke(input, request, ctx).map(answer -> {
        if (remaining < 2 && answer.hasToolCalls()) { // LangGraph's _are_more_steps_needed
          return Map.of("messages", List.of(new AiMessage(NEED_MORE_STEPS, List.of(), answer.id())));
        }
        return Map.of("messages", List.of(answer));
      });
    }
  }
}
