package dev.portcullis.examples;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an LLM that follows a script: on the user's message it asks for the planned tool calls, one per
 * turn; once every call has a result it answers with what the tools said. The tool calls it asks for are executed for
 * real (through Portcullis); only the model's choices are scripted.
 */
public final class ScriptedChatModel implements ChatModel {
  /** One tool call the script makes: the tool's name and its arguments as JSON. */
  public record PlannedCall(String tool, String argumentsJson) {}

  private final List<PlannedCall> plan;
  private final List<List<String>> offeredTools = new CopyOnWriteArrayList<>();

  public ScriptedChatModel(List<PlannedCall> plan) {
    this.plan = List.copyOf(plan);
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    offeredTools.add(request.toolSpecifications() == null ? List.of()
        : request.toolSpecifications().stream().map(ToolSpecification::name).toList());
    List<ToolExecutionResultMessage> results = new ArrayList<>();
    for (ChatMessage message : request.messages()) {
      if (message instanceof ToolExecutionResultMessage result) {
        results.add(result);
      }
    }
    if (results.size() < plan.size()) {
      PlannedCall next = plan.get(results.size());
      ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-" + results.size()).name(next.tool())
          .arguments(next.argumentsJson()).build();
      return ChatResponse.builder().aiMessage(AiMessage.from(List.of(call))).build();
    }
    StringBuilder answer = new StringBuilder("Here is what the tools said:");
    for (ToolExecutionResultMessage result : results) {
      answer.append("\n- ").append(result.toolName()).append(": ").append(result.text());
    }
    return ChatResponse.builder().aiMessage(AiMessage.from(answer.toString())).build();
  }

  /** The tool names the agent offered the model on each turn (what the gateway let this agent see). */
  public List<List<String>> offeredTools() {
    return List.copyOf(offeredTools);
  }
}
