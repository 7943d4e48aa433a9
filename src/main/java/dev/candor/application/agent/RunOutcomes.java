package dev.candor.application.agent;

import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stores how a run ended, each in one transaction: the answer (or the partial answer) together with the run's status,
 * so a failure between the two can never report a stored answer as lost, or the reverse.
 */
@ApplicationScoped
@Transactional
public class RunOutcomes {

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    /** Stores the answer and marks the run COMPLETED; returns the answer's message id. */
    public String completed(String runId, String threadId, String content, String finishReason, String model,
                            int inputTokens, int outputTokens) {
        String messageId = threads.append(threadId, MessageRole.ASSISTANT, content, MessageStatus.COMPLETE, null, runId)
                .id();
        runs.completed(runId, messageId, finishReason, model, inputTokens, outputTokens);
        return messageId;
    }

    /** Stores the partial answer as UNFINISHED (when there is one) and marks the run CANCELLED; its id or null. */
    public String cancelled(String runId, String threadId, String partial) {
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

    /** Marks the run FAILED with the code the client was given. */
    public void failed(String runId, String errorCode) {
        runs.failed(runId, errorCode);
    }
}
