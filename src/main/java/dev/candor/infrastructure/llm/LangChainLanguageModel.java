package dev.candor.infrastructure.llm;

import dev.candor.application.Deadlines;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.LanguageModel;
import dev.candor.application.agent.LlmFailure;
import dev.candor.application.agent.LlmRequest;
import dev.candor.application.agent.LlmStream;
import dev.candor.application.agent.LlmStreamListener;
import dev.candor.application.metrics.ProviderMetrics;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/** The {@link LanguageModel} on LangChain4j's streaming model, behind the {@link ProviderCircuit}. */
@ApplicationScoped
public class LangChainLanguageModel implements LanguageModel {

    @Inject
    LlmManager llm;

    @Inject
    CandorConfig config;

    @Inject
    ProviderCircuit circuit;

    @Inject
    Deadlines deadlines;

    @Inject
    DependencyMonitor monitor;

    @Inject
    ProviderMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Override
    public LlmStream open(LlmRequest request, LlmStreamListener listener) {
        StreamingTurn turn = new StreamingTurn(llm.model(), LangChainMapping.toChatRequest(request,
                config.llm().maxTokens().orElse(null)), listener,
                config.llm(), request.model() != null ? request.model() : modelName(), scheduler, metrics);
        deadlines.watch(turn);
        try {
            circuit.admit(turn::start).whenComplete((started, error) -> {
                if (isOpenCircuit(error)) {
                    turn.refuse(circuitOpen());
                } else if (error != null) {
                    monitor.llmFailed(error); // demotes DEPENDENCIES only when the provider could not be reached
                }
            });
        } catch (CircuitBreakerOpenException e) {
            turn.refuse(circuitOpen());
        }
        return turn;
    }

    @Override
    public String modelName() {
        return llm.settings().map(LlmSettings::model).orElse("unknown");
    }

    @Override
    public String providerName() {
        return llm.settings().map(settings -> settings.provider().id()).orElse("unknown");
    }

    private static boolean isOpenCircuit(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof CircuitBreakerOpenException;
    }

    private static LlmFailure circuitOpen() {
        return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "The LLM provider failed repeatedly, so Candor is not calling "
                + "it for a while; no answer was produced. Try again later.", true, null);
    }
}
