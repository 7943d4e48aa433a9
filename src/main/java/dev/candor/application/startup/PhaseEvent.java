package dev.candor.application.startup;

/**
 * CDI event fired when a phase starts, completes or fails. {@code phasesDone} counts the phases READY after the change.
 */
public record PhaseEvent(Phase phase, PhaseState state, int phasesDone, int phasesTotal, long durationMs, String error) {

    /** Real progress, 0-100, from phase completion only. */
    public int progress() {
        return phasesDone * 100 / phasesTotal;
    }
}
