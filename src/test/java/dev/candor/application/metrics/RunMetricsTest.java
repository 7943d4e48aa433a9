package dev.candor.application.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunMetrics metrics = new RunMetrics(registry);

    @Test
    void aRunWithoutErrorCodeEndsWithCodeNone() {
        metrics.runEnded(RunMetrics.Outcome.COMPLETED, null, "baseline", 1_000_000_000L);
        metrics.runEnded(RunMetrics.Outcome.FAILED, "LLM_UNAVAILABLE", "candidate", 1_000_000_000L);
        assertEquals(1.0, registry.get("candor.runs.ended").tags("outcome", "completed", "code", "none",
                "cohort", "baseline").counter().count());
        assertEquals(1.0, registry.get("candor.runs.ended").tags("outcome", "failed", "code", "LLM_UNAVAILABLE",
                "cohort", "candidate").counter().count());
    }

    @Test
    void tokensAreCountedByDirection() {
        metrics.tokens("baseline", 12, 7);
        metrics.tokens("baseline", 3, 1);
        assertEquals(15.0, registry.get("candor.run.tokens").tags("direction", "input").counter().count());
        assertEquals(8.0, registry.get("candor.run.tokens").tags("direction", "output").counter().count());
    }

    @Test
    void runDurationHasTheCatalogBucketsOnly() {
        metrics.runEnded(RunMetrics.Outcome.COMPLETED, null, "baseline", TimeUnit.SECONDS.toNanos(3));
        Timer timer = registry.get("candor.run.duration").timer();
        double[] bounds = Arrays.stream(timer.takeSnapshot().histogramCounts())
                .mapToDouble(b -> b.bucket(TimeUnit.SECONDS)).toArray();
        assertEquals(Arrays.toString(RunMetrics.RUN_BUCKETS), Arrays.toString(bounds));
        CountAtBucket fourSeconds = Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(b -> b.bucket(TimeUnit.SECONDS) == 4).findFirst().orElseThrow();
        assertEquals(1.0, fourSeconds.count());
    }
}
