package dev.candor.infrastructure.llm;

import dev.candor.application.agent.LanguageModel;
import dev.candor.application.agent.LlmRequest;
import dev.candor.application.agent.LlmStream;
import dev.candor.application.agent.LlmStreamListener;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The {@link LanguageModel} on LangChain4j's streaming model. Each turn's start is guarded by a circuit breaker: when
 * the provider keeps failing, turns fail at once (the caller reports LLM_UNAVAILABLE) instead of waiting on it.
 */
@ApplicationScoped
public class LangChainLanguageModel implements LanguageModel {

    @Inject
    LlmManager llm;

    @Inject
    CandorConfig config;

    @Resource
    ManagedScheduledExecutorService timers;

    @Override
    @Asynchronous
    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 1.0, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 1)
    public CompletionStage<LlmStream> open(LlmRequest request, LlmStreamListener listener) {
        return new StreamingTurn(llm.model(), LangChainMapping.toChatRequest(request), listener, config.llm(),
                modelName(), timers).start();
    }

    @Override
    public String modelName() {
        return llm.settings().map(LlmSettings::model).orElse("unknown");
    }
}
