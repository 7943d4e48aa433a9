package dev.candor.application.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The way in to startup for the rest of the application. {@link #report()} never waits; {@link #ensureInitialized()}
 * runs the missing or failed phases through the orchestrator, exactly once however many callers ask at the same time.
 */
@ApplicationScoped
public class StartupService {

    @Inject
    PhaseLedger ledger;

    @Inject
    StartupOrchestrator orchestrator;

    /**
     * Re-runs only the phases that are not READY, in order. Concurrent callers wait for the attempt in progress (on the
     * orchestrator's container-managed lock) and share its result; a caller that arrives after an attempt failed starts
     * the next one.
     */
    public StartupReport ensureInitialized() {
        if (ledger.isComplete()) {
            return ledger.report();
        }
        return orchestrator.runPendingPhases(ledger.attempts());
    }

    /** The phase states now, without waiting on any lock. */
    public StartupReport report() {
        return ledger.report();
    }

    /** True once every phase has been ready at the same time, whatever happened since. */
    public boolean bootCompleted() {
        return ledger.bootCompleted();
    }

    /** Completes with the report of the initialization attempt running now, when one is. */
    public Optional<CompletableFuture<StartupReport>> attemptUnderWay() {
        return ledger.attemptUnderWay();
    }

    public boolean isComplete() {
        return ledger.isComplete();
    }
}
