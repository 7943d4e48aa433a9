package dev.candor.application.agent;

import java.util.List;

/** One request to the model: the conversation so far and the tools it may call. */
public record LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools) {
}
