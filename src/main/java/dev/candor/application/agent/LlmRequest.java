package dev.candor.application.agent;

import java.util.List;

/**
 * One request to the model: the conversation so far, the tools it may call, at most how many tokens it may answer
 * with ({@code maxOutputTokens}; null: the provider's setting), and the model to ask ({@code model}; null: the
 * configured one).
 */
public record LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools, Integer maxOutputTokens, String model) {

    public LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools, Integer maxOutputTokens) {
        this(messages, tools, maxOutputTokens, null);
    }

    public LlmRequest(List<LlmMessage> messages, List<ToolSpec> tools) {
        this(messages, tools, null);
    }
}
