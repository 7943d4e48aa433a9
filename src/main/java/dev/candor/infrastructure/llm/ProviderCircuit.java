package dev.candor.infrastructure.llm;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The circuit breaker in front of the LLM provider. It counts only failures of the provider itself (unreachable, 5xx,
 * no first token in time): a 429 limits one turn and a rejected request is the request's fault, so neither opens it.
 * While open, turns fail at once with LLM_UNAVAILABLE instead of waiting on the provider. Tuned with the standard
 * MicroProfile Fault Tolerance keys, e.g. {@code dev.candor.infrastructure.llm.ProviderCircuit/admit/CircuitBreaker/delay}.
 */
@ApplicationScoped
public class ProviderCircuit {

    @Asynchronous
    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 1, failOn = ProviderUnavailableException.class)
    public CompletionStage<Void> admit(Supplier<CompletionStage<Void>> turn) {
        return turn.get();
    }
}
