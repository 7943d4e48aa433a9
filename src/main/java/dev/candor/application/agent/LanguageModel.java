package dev.candor.application.agent;

/** Port to the configured LLM provider, implemented in infrastructure/llm. */
public interface LanguageModel {

    /**
     * Starts one streamed model turn and returns its handle at once, so the caller can cancel it at any stage: before
     * the request is sent, while waiting for the first byte, during a retry's backoff, or mid-stream. Connection
     * errors, 429 and 5xx are retried only before the provider's first event, so no text is ever duplicated. Events
     * reach {@code listener} as they stream; exactly one of {@link LlmStreamListener#onReply} and
     * {@link LlmStreamListener#onError} ends the turn, unless it is cancelled first.
     */
    LlmStream open(LlmRequest request, LlmStreamListener listener);

    /** The configured model's name. */
    String modelName();

    /** The configured provider's name, as OpenTelemetry's {@code gen_ai.provider.name} says it (e.g. openai). */
    String providerName();
}
