package dev.candor.application.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.candor.application.InitializationFailedException;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.PhaseState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

class InitMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InitMetrics metrics = new InitMetrics(registry);

    @Test
    void phaseStateGaugeReadsOneForTheCurrentStateOnlyAndFollowsChanges() {
        Map<Phase, PhaseState> states = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            states.put(phase, PhaseState.PENDING);
        }
        metrics.trackPhaseStates(List.of(Phase.values()), List.of(PhaseState.values()), states::get);
        assertEquals(Phase.values().length * PhaseState.values().length,
                registry.find("candor.phase.state").gauges().size());
        assertEquals(1.0, state("cache", "pending"));
        assertEquals(0.0, state("cache", "ready"));

        states.put(Phase.CACHE, PhaseState.READY);
        assertEquals(0.0, state("cache", "pending"));
        assertEquals(1.0, state("cache", "ready"));
        assertEquals(1.0, state("database", "pending"), "another phase's gauge moved");
    }

    @Test
    void gaugesAreRemovedWhenTheApplicationStops() {
        metrics.trackPhaseStates(List.of(Phase.values()), List.of(PhaseState.values()), phase -> PhaseState.READY);
        metrics.removeGauges();
        assertNull(registry.find("candor.phase.state").gauge());
    }

    @Test
    void gateWaitOutcomeComesFromWhatEndedTheWait() {
        assertEquals(InitMetrics.GateOutcome.READY, InitMetrics.gateOutcome(null));
        assertEquals(InitMetrics.GateOutcome.CIRCUIT_OPEN, InitMetrics.gateOutcome(
                new CompletionException(new CircuitBreakerOpenException("open"))));
        assertEquals(InitMetrics.GateOutcome.TIMED_OUT, InitMetrics.gateOutcome(new TimeoutException("120 s")));
        assertEquals(InitMetrics.GateOutcome.INIT_FAILED, InitMetrics.gateOutcome(
                new CompletionException(new IllegalStateException("phase CACHE failed"))));
        assertEquals(InitMetrics.GateOutcome.TIMED_OUT, InitMetrics.gateOutcome(new CompletionException(
                new InitializationFailedException("CACHE", "not within 8 s", 2000, "c1", true))), "its own bound");
        assertEquals(InitMetrics.GateOutcome.INIT_FAILED, InitMetrics.gateOutcome(
                new InitializationFailedException("CACHE", "the attempt ended", 2000, "c2")));
    }

    @Test
    void attemptsAreCountedByTriggerAndOutcomeWithTheirDuration() {
        metrics.attemptEnded(true, false, 2_000_000_000L);
        metrics.attemptEnded(false, true, 500_000_000L);
        metrics.gateWaitEnded(null, 300_000_000L);
        assertEquals(1.0, registry.get("candor.init.attempts").tags("trigger", "boot", "outcome", "failed").counter()
                .count());
        assertEquals(1.0, registry.get("candor.init.attempts").tags("trigger", "on_demand", "outcome", "ready")
                .counter().count());
        assertEquals(1, registry.get("candor.init.duration").tags("trigger", "boot").timer().count());
        assertEquals(1, registry.get("candor.gate.waits").tags("outcome", "ready").timer().count());
    }

    private double state(String phase, String state) {
        return registry.get("candor.phase.state").tags("phase", phase, "state", state).gauge().value();
    }
}
