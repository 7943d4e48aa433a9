package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.Optional;

/**
 * LLM provider settings ({@code candor.llm.*}). The API key is not here: it is a secret, read by the KeyManager.
 *
 * @param provider       {@code candor.llm.provider}: {@code openai} (any OpenAI-compatible server) or {@code anthropic}
 * @param baseUrl        {@code candor.llm.base-url}: provider endpoint; empty means the provider's public API
 * @param model          {@code candor.llm.model}: model name sent to the provider
 * @param connectTimeout {@code candor.llm.connect-timeout-ms}: TCP connect bound for every provider call
 * @param requestTimeout {@code candor.llm.request-timeout-ms}: overall bound of one provider request
 * @param check          {@code candor.llm.check}: how startup proves the provider answers: {@code models} or {@code chat}
 * @param checkTimeout   {@code candor.llm.check-timeout-ms}: bound of that check
 */
public record LlmConfig(Optional<String> provider, Optional<String> baseUrl, Optional<String> model,
                        Duration connectTimeout, Duration requestTimeout, String check, Duration checkTimeout) {
}
