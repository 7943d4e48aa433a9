package dev.candor.application.metrics;

import dev.candor.application.InitializationFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Startup: each phase run, each initialization attempt, the phases' states, and the clients' waits at the gate. */
@ApplicationScoped
public class InitMetrics extends Meters {

    static final double[] INIT_BUCKETS = {0.5, 1, 2, 4, 8, 10, 15, 30, 60};
    static final double[] WAIT_BUCKETS = {0.1, 0.5, 1, 2, 4, 8, 10, 15, 30};

    /** What ended a client's wait at the initialization gate. */
    public enum GateOutcome { READY, INIT_FAILED, TIMED_OUT, CIRCUIT_OPEN }

    @Inject
    public InitMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected InitMetrics() {
        super(null);
    }

    public void phaseRan(Object phase, boolean succeeded, long nanos) {
        String outcome = succeeded ? "succeeded" : "failed";
        Counter.builder("candor.phase.runs").tags("phase", tag(phase), "outcome", outcome).register(registry)
                .increment();
        record(Timer.builder("candor.phase.duration")
                .tags("phase", tag(phase), "outcome", outcome).register(registry), nanos);
    }

    /** One gauge per phase and state: 1 for the state {@code current} reports for the phase, 0 for the others. */
    public <P, S> void trackPhaseStates(Collection<P> phases, Collection<S> states, Function<P, S> current) {
        for (P phase : phases) {
            for (S state : states) {
                gauge("candor.phase.state", () -> current.apply(phase) == state ? 1 : 0,
                        "phase", tag(phase), "state", tag(state));
            }
        }
    }

    /** An initialization attempt that ran phases ended: at boot or on demand (clients waiting, a probe). */
    public void attemptEnded(boolean boot, boolean ready, long nanos) {
        String trigger = boot ? "boot" : "on_demand";
        String outcome = ready ? "ready" : "failed";
        Counter.builder("candor.init.attempts").tags("trigger", trigger, "outcome", outcome).register(registry)
                .increment();
        record(timer("candor.init.duration", INIT_BUCKETS, "trigger", trigger, "outcome", outcome),
                nanos);
    }

    /** The service became ready {@code nanos} after the first client began waiting for it. */
    public void readyAfterWait(long nanos) {
        record(timer("candor.init.time.to.ready", INIT_BUCKETS), nanos);
    }

    /** A client's wait at the gate ended, with {@code error} (null when the service is ready). */
    public void gateWaitEnded(Throwable error, long nanos) {
        record(timer("candor.gate.waits", WAIT_BUCKETS, "outcome", tag(gateOutcome(error))),
                nanos);
    }

    static GateOutcome gateOutcome(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return GateOutcome.READY;
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return GateOutcome.CIRCUIT_OPEN;
        }
        if (cause instanceof TimeoutException
                || cause instanceof InitializationFailedException failed && failed.boundPassed()) {
            return GateOutcome.TIMED_OUT; // the Fault Tolerance ceiling, or the wait's own (progressive) bound
        }
        return GateOutcome.INIT_FAILED;
    }
}
