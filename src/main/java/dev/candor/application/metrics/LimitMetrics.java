package dev.candor.application.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Requests the per-user limits refused. */
@ApplicationScoped
public class LimitMetrics extends Meters {

    /** The kinds of limit (docs/protocol.md, "Per-user limits"). */
    public enum Limit { MESSAGES, DAILY_TOKENS, CONCURRENT_RUNS, RESUMES, CONNECTIONS_PER_USER, CONNECTIONS_PER_ADDRESS }

    @Inject
    public LimitMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected LimitMetrics() {
        super(null);
    }

    public void hit(Limit limit) {
        Counter.builder("candor.limits.hit").tag("limit", tag(limit)).register(registry).increment();
    }
}
