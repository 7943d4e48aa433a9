package dev.candor.application.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The LLM provider's answers that cost a run time: retried attempts and 429s. */
@ApplicationScoped
public class ProviderMetrics extends Meters {

    /** Why an attempt was sent again. */
    public enum RetryReason { RATE_LIMITED, UNAVAILABLE, NETWORK }

    @Inject
    public ProviderMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected ProviderMetrics() {
        super(null);
    }

    public void retried(RetryReason reason) {
        Counter.builder("candor.provider.retries").tag("reason", tag(reason)).register(registry).increment();
    }

    /** The provider answered 429. */
    public void rateLimited() {
        registry.counter("candor.provider.rate.limited").increment();
    }
}
