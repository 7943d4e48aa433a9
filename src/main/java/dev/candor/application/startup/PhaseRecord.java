package dev.candor.application.startup;

import java.time.Instant;

/**
 * What is known of one phase: its state, when its last run started, how long it took, why it failed (or, while
 * PENDING, what it waits for) and how many times it has run.
 */
public record PhaseRecord(Phase phase, PhaseState state, Instant startedAt, long durationMs, String error, int runs) {

    static PhaseRecord pending(Phase phase) {
        return new PhaseRecord(phase, PhaseState.PENDING, null, 0, null, 0);
    }

    PhaseRecord running(Instant now) {
        return new PhaseRecord(phase, PhaseState.RUNNING, now, 0, null, runs + 1);
    }

    PhaseRecord ready(long durationMs) {
        return new PhaseRecord(phase, PhaseState.READY, startedAt, durationMs, null, runs);
    }

    PhaseRecord failed(long durationMs, String error) {
        return new PhaseRecord(phase, PhaseState.FAILED, startedAt, durationMs, error, runs);
    }

    PhaseRecord blockedBy(Phase failed) {
        return new PhaseRecord(phase, PhaseState.PENDING, startedAt, durationMs,
                "not run: waiting for " + failed + " to become ready", runs);
    }

    public boolean isReady() {
        return state == PhaseState.READY;
    }
}
