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
 * @param temperature    {@code candor.llm.temperature}: sampling temperature; empty = the provider's default
 * @param maxTokens      {@code candor.llm.max-tokens}: answer length limit; empty = the provider's default
 * @param firstToken     {@code candor.llm.first-token-timeout-ms}: the provider must start answering within this
 * @param idle           {@code candor.llm.idle-timeout-ms}: and never fall silent longer than this mid-stream
 * @param retries        {@code candor.llm.retries}: retries of connect errors, 429 and 5xx before the first token
 * @param retryBackoff   {@code candor.llm.retry-backoff-ms}: first retry delay, doubled each time
 * @param maxRetryAfter  {@code candor.llm.max-retry-after-ms}: a longer Retry-After fails the run instead of waiting
 */
public record LlmConfig(Optional<String> provider, Optional<String> baseUrl, Optional<String> model,
                        Duration connectTimeout, Duration requestTimeout, String check, Duration checkTimeout,
                        Optional<Double> temperature, Optional<Integer> maxTokens, Duration firstToken, Duration idle,
                        int retries, Duration retryBackoff, Duration maxRetryAfter) {
}
