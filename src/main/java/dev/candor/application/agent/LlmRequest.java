package dev.candor.application.agent;

import java.util.List;

/**
 * One request to the model: the conversation so far, the tools it may call, and at most how many tokens it may answer
 * with ({@code maxOutputTokens}; null: the provider's setting).
 */
public record LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools, Integer maxOutputTokens) {

    public LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools) {
        this(messages, tools, null);
    }
}
