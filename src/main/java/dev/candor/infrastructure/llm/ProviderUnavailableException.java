package dev.candor.infrastructure.llm;

import dev.candor.application.agent.LlmFailure;

/** The provider could not be reached, failed or timed out before it answered: what the circuit breaker counts. */
final class ProviderUnavailableException extends RuntimeException {

    ProviderUnavailableException(LlmFailure failure) {
        super(failure.getMessage(), failure, false, false);
    }
}
