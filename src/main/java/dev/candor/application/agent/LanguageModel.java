package dev.candor.application.agent;

import java.util.concurrent.CompletionStage;

/** Port to the configured LLM provider, implemented in infrastructure/llm. */
public interface LanguageModel {

    /**
     * Starts one streamed turn. The stage completes once the provider has started answering (its first event), and
     * fails with an {@link LlmFailure} if it never does: retries of connection errors, 429 and 5xx happen before that,
     * so no text is ever duplicated. Events reach {@code listener} as they stream.
     */
    CompletionStage<LlmStream> open(LlmRequest request, LlmStreamListener listener);

    /** The configured model's name. */
    String modelName();
}
