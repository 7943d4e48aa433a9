package dev.candor.application.startup;

/** Lifecycle of one phase. */
public enum PhaseState {
    PENDING, RUNNING, READY, FAILED
}
