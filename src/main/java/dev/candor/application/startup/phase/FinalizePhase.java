package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.PhaseLedger;
import dev.candor.application.startup.PhaseRecord;
import dev.candor.application.startup.StartupPhase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.stream.Collectors;
import java.util.logging.Logger;

/** FINALIZE: startup is complete once this phase is READY; logs the summary of every phase's duration. */
@ApplicationScoped
public class FinalizePhase implements StartupPhase {

    private static final Logger LOG = Logger.getLogger(FinalizePhase.class.getName());

    @Inject
    PhaseLedger ledger;

    @Override
    public Phase phase() {
        return Phase.FINALIZE;
    }

    @Override
    public void run() {
        var before = ledger.report().phases().stream().filter(p -> p.phase() != Phase.FINALIZE).toList();
        long total = before.stream().mapToLong(PhaseRecord::durationMs).sum();
        LOG.info(() -> "startup complete: " + Phase.total() + " phases ready, " + total + " ms in phases ("
                + before.stream().map(p -> p.phase() + " " + p.durationMs() + " ms").collect(Collectors.joining(", "))
                + ")");
    }
}
