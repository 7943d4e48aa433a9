package dev.candor.application.agent;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.InOrder;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a run ends, once {@link RunState#beginEnd} let one ending through: the outcome is stored (answer and status in
 * one transaction), the thread is released, and only then is the one terminal event sent. It never reports an answer
 * as stored that was not: when storing fails the client gets INTERNAL_ERROR with a correlation id, not the answer.
 */
final class RunEnding {

    private static final Logger LOG = Logger.getLogger(RunEnding.class.getName());

    private final RunOutcomes outcomes;
    private final RunSpec spec;
    private final RunState state;
    private final InOrder<AgentEvent> outbox;
    private final Runnable release;
    private final long startNanos;

    RunEnding(RunOutcomes outcomes, RunSpec spec, RunState state, InOrder<AgentEvent> outbox, Runnable release,
              long startNanos) {
        this.outcomes = outcomes;
        this.spec = spec;
        this.state = state;
        this.outbox = outbox;
        this.release = release;
        this.startNanos = startNanos;
    }

    void completed(RunState.Snapshot snapshot, String finishReason) {
        String messageId;
        try {
            messageId = outcomes.completed(spec.runId(), spec.threadId(), snapshot.answer(), finishReason,
                    snapshot.model(), snapshot.inputTokens(), snapshot.outputTokens());
        } catch (RuntimeException e) {
            ErrorReport report = Failures.unexpected(e, "storing the answer of run " + spec.runId());
            failed(new ErrorReport(ErrorCode.INTERNAL_ERROR, "The answer could not be stored, so the run ended "
                    + "without it. Try again; if it persists, give an operator the correlation id "
                    + report.correlationId() + ".", true, null, null, report.correlationId()));
            return;
        }
        finish("completed", new RunEvent.AgentCompleted(messageId, snapshot.answer(), finishReason,
                snapshot.inputTokens(), snapshot.outputTokens(), elapsedMs(), snapshot.model()), snapshot);
    }

    void failed(ErrorReport report) {
        try {
            outcomes.failed(spec.runId(), report.code().name());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run " + spec.runId() + ": could not record its failure " + report.code() + ": " + e);
        }
        finish("failed: " + report.code(), new RunEvent.AgentError(report.code().name(), report.message(),
                report.retryable(), report.retryAfterMs(), report.correlationId()), null);
    }

    void cancelled(RunState.Snapshot snapshot) {
        String messageId = null;
        try {
            messageId = outcomes.cancelled(spec.runId(), spec.threadId(), snapshot.answer());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run " + spec.runId() + ": could not store its partial answer: " + e, e);
        }
        finish("cancelled", new RunEvent.RunCancelled(messageId, snapshot.answer()), snapshot);
    }

    /** Releases the thread, then sends the one terminal event. */
    private void finish(String outcome, RunEvent terminal, RunState.Snapshot snapshot) {
        release.run();
        state.end(terminal);
        outbox.drain();
        LOG.fine(() -> "run " + spec.runId() + " on thread " + spec.threadId() + " " + outcome + " in " + elapsedMs()
                + " ms" + (snapshot == null ? "" : " (" + snapshot.answer().length() + " chars, " + snapshot.rounds()
                + " model turns)"));
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
