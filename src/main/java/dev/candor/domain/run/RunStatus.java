package dev.candor.domain.run;

/** Outcome of an agent run. */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED,
    /** The node running it stopped before it ended; its lease expired and another node (or the same after a restart)
     *  ended it, keeping the partial answer as an unfinished message. */
    INTERRUPTED
}
