package dev.candor.application.startup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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

    /**
     * How long until every phase is ready, estimated from the last successful durations of the phases still to run (a
     * running phase counts what is left of its last duration). Empty when one of them has never succeeded.
     */
    public OptionalLong etaMs(Instant now) {
        long total = 0;
        for (PhaseRecord phase : phases) {
            if (phase.isReady()) {
                continue;
            }
            if (phase.lastReadyMs() < 0) {
                return OptionalLong.empty();
            }
            long remaining = phase.lastReadyMs();
            if (phase.state() == PhaseState.RUNNING && phase.startedAt() != null) {
                remaining = Math.max(0, remaining - Duration.between(phase.startedAt(), now).toMillis());
            }
            total += remaining;
        }
        return OptionalLong.of(total);
    }

    public PhaseRecord get(Phase phase) {
        return phases.get(phase.ordinal());
    }
}
