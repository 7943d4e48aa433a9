package dev.candor.application.agent;

import dev.candor.application.ErrorCode;
import dev.candor.application.metrics.RunMetrics;
import dev.candor.application.tracing.TurnTrace;

/**
 * What a run's published events tell its metrics and its trace, as its clients see them: the first streamed text (time
 * to first token) and the terminal event (the run's outcome and duration, and the end of the turn's span). Called by
 * the run's outbox, one event at a time.
 */
final class RunObserver {

    private final TurnTrace trace;
    private final RunMetrics metrics;
    private final String cohort;
    private final long startNanos = System.nanoTime();
    private boolean firstTokenSeen;

    RunObserver(TurnTrace trace, RunMetrics metrics, String cohort) {
        this.trace = trace;
        this.metrics = metrics;
        this.cohort = cohort;
    }

    void published(RunEvent event) {
        long nanos = System.nanoTime() - startNanos;
        if (event instanceof RunEvent.AgentDelta && !firstTokenSeen) {
            firstTokenSeen = true;
            metrics.firstToken(cohort, nanos);
        } else if (event instanceof RunEvent.AgentCompleted) {
            metrics.runEnded(RunMetrics.Outcome.COMPLETED, null, cohort, nanos);
        } else if (event instanceof RunEvent.RunCancelled) {
            metrics.runEnded(RunMetrics.Outcome.CANCELLED, null, cohort, nanos);
        } else if (event instanceof RunEvent.AgentError error) {
            metrics.runEnded(ErrorCode.RUN_INTERRUPTED.name().equals(error.errorCode())
                    ? RunMetrics.Outcome.INTERRUPTED : RunMetrics.Outcome.FAILED, error.errorCode(), cohort, nanos);
        }
        if (event.terminal()) {
            trace.ended(event.type(), event instanceof RunEvent.AgentError error ? error.errorCode() : null);
        }
    }
}
