package dev.candor.application.agent;

import java.util.List;

/** The end of one streamed model turn, as the provider reported it. */
public record LlmReply(String text, List<ToolCall> toolCalls, String finishReason, int inputTokens, int outputTokens,
                       String model) {
}
