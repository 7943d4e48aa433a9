package dev.candor.application.startup;

import java.util.List;
import java.util.Optional;

/** A consistent snapshot of every phase, in order, and the number of initialization attempts finished so far. */
public record StartupReport(List<PhaseRecord> phases, long attempts) {

    public boolean complete() {
        return phases.stream().allMatch(PhaseRecord::isReady);
    }

    public int phasesDone() {
        return (int) phases.stream().filter(PhaseRecord::isReady).count();
    }

    public int progress() {
        return phasesDone() * 100 / phases.size();
    }

    public Optional<PhaseRecord> firstFailure() {
        return phases.stream().filter(p -> p.state() == PhaseState.FAILED).findFirst();
    }

    /** The first phase that is not READY: the one a waiting client is waiting for. */
    public Optional<PhaseRecord> current() {
        return phases.stream().filter(p -> !p.isReady()).findFirst();
    }

    public PhaseRecord get(Phase phase) {
        return phases.get(phase.ordinal());
    }
}
