package dev.candor.application.startup;

import java.time.Instant;

/**
 * What is known of one phase: its state, when its last run started, how long it took, why it failed (or, while
 * PENDING, what it waits for), how many times it has run, and how long its last successful run took ({@code -1} while
 * unknown; kept across failures and restarts, for estimates).
 */
public record PhaseRecord(Phase phase, PhaseState state, Instant startedAt, long durationMs, String error, int runs,
                          long lastReadyMs) {

    static PhaseRecord pending(Phase phase) {
        return new PhaseRecord(phase, PhaseState.PENDING, null, 0, null, 0, -1);
    }

    PhaseRecord running(Instant now) {
        return new PhaseRecord(phase, PhaseState.RUNNING, now, 0, null, runs + 1, lastReadyMs);
    }

    PhaseRecord ready(long durationMs) {
        return new PhaseRecord(phase, PhaseState.READY, startedAt, durationMs, null, runs, durationMs);
    }

    PhaseRecord failed(long durationMs, String error) {
        return new PhaseRecord(phase, PhaseState.FAILED, startedAt, durationMs, error, runs, lastReadyMs);
    }

    /** A READY phase whose dependency was lost: FAILED until it runs again. */
    PhaseRecord lost(String reason) {
        return new PhaseRecord(phase, PhaseState.FAILED, startedAt, durationMs, "lost: " + reason, runs, lastReadyMs);
    }

    PhaseRecord blockedBy(Phase failed) {
        return new PhaseRecord(phase, PhaseState.PENDING, startedAt, durationMs,
                "not run: waiting for " + failed + " to become ready", runs, lastReadyMs);
    }

    PhaseRecord withLastReadyMs(long ms) {
        return new PhaseRecord(phase, state, startedAt, durationMs, error, runs, ms);
    }

    public boolean isReady() {
        return state == PhaseState.READY;
    }
}
