package dev.candor.application.agent;

import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Stores how a run ended, each in one transaction: the answer (or the partial answer) together with the run's status,
 * so a failure between the two can never report a stored answer as lost, or the reverse. Each ending may be tried
 * again after a failure whose commit outcome is unknown: it first reads the run's status, which commits together with
 * the answer, and returns what an earlier attempt stored instead of storing it twice.
 */
@ApplicationScoped
@Transactional
public class RunOutcomes {

    private static final Logger LOG = Logger.getLogger(RunOutcomes.class.getName());

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    /** Stores the answer and marks the run COMPLETED; returns the answer's message id. */
    public String completed(String runId, String threadId, String content, String finishReason, String model,
                            int inputTokens, int outputTokens) {
        AgentRun earlier = endedBefore(runId, RunStatus.COMPLETED);
        if (earlier != null) {
            return earlier.assistantMessageId();
        }
        String messageId = threads.append(threadId, MessageRole.ASSISTANT, content, MessageStatus.COMPLETE, null, runId)
                .id();
        runs.completed(runId, messageId, finishReason, model, inputTokens, outputTokens);
        return messageId;
    }

    /** Stores the partial answer as UNFINISHED (when there is one) and marks the run CANCELLED; its id or null. */
    public String cancelled(String runId, String threadId, String partial) {
        AgentRun earlier = endedBefore(runId, RunStatus.CANCELLED);
        if (earlier != null) {
            return earlier.assistantMessageId();
        }
        String messageId = partial.isEmpty() ? null : threads.append(threadId, MessageRole.ASSISTANT, partial,
                MessageStatus.UNFINISHED, null, runId).id();
        runs.cancelled(runId, messageId);
        return messageId;
    }

    /**
     * Ends a run whose node stopped: its partial answer (when there is one) is stored UNFINISHED and the run marked
     * INTERRUPTED, in one transaction; empty when it is no longer RUNNING or its lease was renewed meanwhile.
     */
    public Optional<String> interrupted(String runId, String threadId, String partial, Instant now, Duration lease) {
        String messageId = partial.isEmpty() ? null : threads.append(threadId, MessageRole.ASSISTANT, partial,
                MessageStatus.UNFINISHED, null, runId).id();
        if (!runs.interrupt(runId, messageId, now, lease)) {
            throw new LeaseTakenException(runId); // rolls the partial answer back
        }
        return Optional.ofNullable(messageId);
    }

    /** Another node ended the run first, or its owner renewed the lease. */
    static final class LeaseTakenException extends RuntimeException {
        LeaseTakenException(String runId) {
            super("run " + runId + " is no longer an expired RUNNING run", null, false, false);
        }
    }

    /** Marks the run FAILED with the code the client was given; nothing when it has already ended. */
    public void failed(String runId, String errorCode) {
        AgentRun run = runs.find(runId).orElseThrow(() -> missing(runId));
        if (run.status() != RunStatus.RUNNING) {
            LOG.warning(() -> "run " + runId + " had already ended " + run.status() + (run.assistantMessageId() == null
                    ? "" : " with message " + run.assistantMessageId()) + "; its failure " + errorCode
                    + " is not recorded");
            return;
        }
        runs.failed(runId, errorCode);
    }

    /**
     * Null while the run is RUNNING; the run when an earlier attempt already ended it as {@code expected}; a
     * {@link RunAlreadyEndedException} when it ended otherwise (its lease expired and another node ended it).
     */
    private AgentRun endedBefore(String runId, RunStatus expected) {
        AgentRun run = runs.find(runId).orElseThrow(() -> missing(runId));
        if (run.status() == RunStatus.RUNNING) {
            return null;
        }
        if (run.status() == expected) {
            return run;
        }
        throw new RunAlreadyEndedException(runId, run.status(), run.assistantMessageId());
    }

    private static IllegalArgumentException missing(String runId) {
        return new IllegalArgumentException("run " + runId + " does not exist");
    }

    /** The run was ended by someone else (a lease reclaim) before this ending could be stored. */
    static final class RunAlreadyEndedException extends RuntimeException {

        private final transient RunStatus status;
        private final String messageId;

        RunAlreadyEndedException(String runId, RunStatus status, String messageId) {
            super("run " + runId + " had already ended " + status, null, false, false);
            this.status = status;
            this.messageId = messageId;
        }

        RunStatus status() {
            return status;
        }

        /** The answer (or partial answer) stored by that ending; null when none was. */
        String messageId() {
            return messageId;
        }
    }
}
