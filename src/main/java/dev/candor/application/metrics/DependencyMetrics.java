package dev.candor.application.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The dependencies' health: the background probe's round trips and the readiness probe's answers. */
@ApplicationScoped
public class DependencyMetrics extends Meters {

    static final double[] LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1};

    @Inject
    public DependencyMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected DependencyMetrics() {
        super(null);
    }

    /** One round trip to {@code dependency} ("database" or "redis"), passed or not. */
    public void probed(String dependency, long nanos) {
        record(timer("candor.dependency.latency", LATENCY_BUCKETS, "dependency", dependency), nanos);
    }

    public void readinessChecked(boolean up) {
        Counter.builder("candor.readiness.checks").tag("outcome", up ? "up" : "down").register(registry).increment();
    }
}
