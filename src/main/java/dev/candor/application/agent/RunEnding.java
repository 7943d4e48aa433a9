package dev.candor.application.agent;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.InOrder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a run ends, once {@link RunState#beginEnd} let one ending through: the outcome is stored (answer and status in
 * one transaction), the thread is released, and only then is the one terminal event sent. While the database is
 * unreachable the store is tried again with backoff, within candor.runs.store-retry-ms; the terminal event then says
 * truthfully whether the answer was stored. A run that could not store its end keeps its lease while its status is
 * written later (FAILED, CANCELLED without text), so no lease reclaim stores a text the client was told is not stored.
 * A store failing for any other reason is INTERNAL_ERROR with a correlation id.
 */
final class RunEnding {

    static final String NOT_STORED_MESSAGE = "The answer above could not be saved because the database is "
            + "unavailable; it is not in the conversation history. Ask again once Candor is ready.";

    private static final Logger LOG = Logger.getLogger(RunEnding.class.getName());

    private final RunOutcomes outcomes;
    private final StoreRetry retry;
    private final StoreRetry later;
    private final RunSpec spec;
    private final RunState state;
    private final InOrder<AgentEvent> outbox;
    private final Runnable releaseThread;
    private final Runnable retire;
    private final long startNanos = System.nanoTime();

    /**
     * {@code retry} bounds the stores before the terminal event, {@code later} the status written after it;
     * {@code releaseThread} frees the thread for the next message, {@code retire} ends the run's lease on this node.
     */
    RunEnding(RunOutcomes outcomes, StoreRetry retry, StoreRetry later, RunSpec spec, RunState state,
              InOrder<AgentEvent> outbox, Runnable releaseThread, Runnable retire) {
        this.outcomes = outcomes;
        this.retry = retry;
        this.later = later;
        this.spec = spec;
        this.state = state;
        this.outbox = outbox;
        this.releaseThread = releaseThread;
        this.retire = retire;
    }

    void completed(RunState.Snapshot snapshot, String finishReason) {
        store(() -> outcomes.completed(spec.runId(), spec.threadId(), snapshot.answer(), finishReason,
                snapshot.model(), snapshot.inputTokens(), snapshot.outputTokens()), outcome -> {
            if (outcome instanceof StoreRetry.Outcome.Stored<String> stored) {
                finish("completed", new RunEvent.AgentCompleted(stored.value(), snapshot.answer(), finishReason,
                        snapshot.inputTokens(), snapshot.outputTokens(), elapsedMs(), snapshot.model()), snapshot);
                retire.run();
            } else if (outcome instanceof StoreRetry.Outcome.Unreachable<String> unreachable) {
                notStored(unreachable, "the answer", ErrorCode.ANSWER_NOT_STORED, snapshot);
            } else if (failure(outcome) instanceof RunOutcomes.RunAlreadyEndedException ended) {
                endedElsewhere(ended, snapshot);
            } else {
                ErrorReport report = Failures.unexpected(failure(outcome), "storing the answer of run " + spec.runId());
                failed(new ErrorReport(ErrorCode.INTERNAL_ERROR, "The answer could not be stored, so the run ended "
                        + "without it. Try again; if it persists, give an operator the correlation id "
                        + report.correlationId() + ".", true, null, null, report.correlationId()));
            }
        });
    }

    void failed(ErrorReport report) {
        store(() -> {
            outcomes.failed(spec.runId(), report.code().name());
            return null;
        }, outcome -> {
            RunEvent.AgentError terminal = new RunEvent.AgentError(report.code().name(), report.message(),
                    report.retryable(), report.retryAfterMs(), report.correlationId());
            if (outcome instanceof StoreRetry.Outcome.Unreachable<Object>) {
                LOG.warning("run " + spec.runId() + ": could not record its failure " + report.code() + " (the "
                        + "database is unreachable); it is recorded in the background");
                finish("failed: " + report.code() + " (not yet recorded)", terminal, null);
                settleLater(() -> outcomes.failed(spec.runId(), report.code().name()));
                return;
            }
            if (outcome instanceof StoreRetry.Outcome.Failed<Object>) {
                LOG.log(Level.WARNING, "run " + spec.runId() + ": could not record its failure " + report.code() + ": "
                        + failure(outcome));
            }
            finish("failed: " + report.code(), terminal, null);
            retire.run();
        });
    }

    void cancelled(RunState.Snapshot snapshot) {
        store(() -> outcomes.cancelled(spec.runId(), spec.threadId(), snapshot.answer()), outcome -> {
            String messageId = null;
            if (outcome instanceof StoreRetry.Outcome.Stored<String> stored) {
                messageId = stored.value();
            } else if (failure(outcome) instanceof RunOutcomes.RunAlreadyEndedException ended) {
                messageId = ended.messageId(); // the partial answer its lease reclaim stored
            } else if (outcome instanceof StoreRetry.Outcome.Unreachable<String>) {
                LOG.warning("run " + spec.runId() + ": could not store its partial answer (the database is "
                        + "unreachable); run_cancelled says so, the cancel is recorded in the background");
                finish("cancelled (partial answer not stored)", new RunEvent.RunCancelled(null, snapshot.answer()),
                        snapshot);
                settleLater(() -> outcomes.cancelled(spec.runId(), spec.threadId(), ""));
                return;
            } else {
                LOG.log(Level.WARNING, "run " + spec.runId() + ": could not store its partial answer: "
                        + failure(outcome), failure(outcome));
            }
            finish("cancelled", new RunEvent.RunCancelled(messageId, snapshot.answer()), snapshot);
            retire.run();
        });
    }

    /** Tries {@code attempt} within the bound; an unexpected fault while ending still frees the run. */
    private <T> void store(Supplier<T> attempt, Consumer<StoreRetry.Outcome<T>> then) {
        retry.attempt(attempt, outcome -> {
            try {
                then.accept(outcome);
            } catch (RuntimeException | Error e) {
                couldNotEnd(e);
            }
        });
    }

    /** The ending itself failed: the run is freed without a terminal event (logged). */
    void couldNotEnd(Throwable fault) {
        LOG.log(Level.SEVERE, "run " + spec.runId() + " could not end cleanly", fault);
        releaseThread.run();
        retire.run();
    }

    private void notStored(StoreRetry.Outcome.Unreachable<?> unreachable, String what, ErrorCode code,
                           RunState.Snapshot snapshot) {
        String id = Failures.correlationId();
        LOG.log(Level.SEVERE, "[" + id + "] run " + spec.runId() + ": " + what + " could not be stored after "
                + unreachable.attempts() + " attempts, the database is unreachable: " + unreachable.last(),
                unreachable.last());
        finish("failed: " + code, new RunEvent.AgentError(code.name(), NOT_STORED_MESSAGE, true, null, id),
                snapshot);
        settleLater(() -> outcomes.failed(spec.runId(), code.name()));
    }

    /** A lease reclaim ended the run while its answer could not be stored: the client is told what it stored. */
    private void endedElsewhere(RunOutcomes.RunAlreadyEndedException ended, RunState.Snapshot snapshot) {
        LOG.warning("run " + spec.runId() + " was ended " + ended.status() + " by another node while its answer "
                + "could not be stored");
        finish("ended elsewhere: " + ended.status(), new RunEvent.AgentError(ErrorCode.RUN_INTERRUPTED.name(),
                "The server ended this run while its answer was being saved. " + (ended.messageId() == null
                ? "No part of the answer is kept." : "The answer received is kept as an unfinished message.")
                + " Send the message again for a new answer.", true, null, null), snapshot);
        retire.run();
    }

    /**
     * Keeps writing the run's end in the background (without its text) while the database is unreachable; the run
     * keeps its lease meanwhile, so no lease reclaim stores what the client was told is not stored.
     */
    private void settleLater(Runnable write) {
        later.attemptLater(() -> {
            write.run();
            return null;
        }, outcome -> {
            if (!(outcome instanceof StoreRetry.Outcome.Stored<Object>)) {
                LOG.log(Level.SEVERE, "run " + spec.runId() + " is still RUNNING in the database: its end could not "
                        + "be recorded (" + failure(outcome) + "); its lease is given up", failure(outcome));
            }
            retire.run();
        });
    }

    /** Releases the thread, then sends the one terminal event. */
    private void finish(String outcome, RunEvent terminal, RunState.Snapshot snapshot) {
        releaseThread.run();
        state.end(terminal);
        outbox.drain();
        LOG.fine(() -> "run " + spec.runId() + " on thread " + spec.threadId() + " " + outcome + " in " + elapsedMs()
                + " ms" + (snapshot == null ? "" : " (" + snapshot.answer().length() + " chars, " + snapshot.rounds()
                + " model turns)"));
    }

    private static RuntimeException failure(StoreRetry.Outcome<?> outcome) {
        if (outcome instanceof StoreRetry.Outcome.Failed<?> failed) {
            return failed.failure();
        }
        if (outcome instanceof StoreRetry.Outcome.Unreachable<?> unreachable) {
            return unreachable.last();
        }
        return null;
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
