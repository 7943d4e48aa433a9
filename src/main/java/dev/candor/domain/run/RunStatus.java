package dev.candor.domain.run;

/** Outcome of an agent run. */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED
}
