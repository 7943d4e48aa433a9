package dev.candor.domain.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Port for storing agent runs. */
public interface RunRepository {

    /**
     * Stores a new RUNNING run with an id chosen beforehand, held by {@code ownerNode} until {@code leaseUntil}, at
     * once: when the thread already has a RUNNING run the database refuses it here
     * ({@link AgentRun#ONE_RUNNING_PER_THREAD}). Every way a run ends frees the thread in the same statement.
     */
    AgentRun start(String runId, String threadId, String userMessageId, String ownerNode, Instant leaseUntil);

    /** Extends the leases of these RUNNING runs (those this node executes) to {@code until}. */
    void renew(Collection<String> runIds, Instant until);

    /**
     * RUNNING runs whose lease has expired at {@code now} (runs stored before leases existed count from their start,
     * plus {@code lease}), oldest first, at most {@code limit}.
     */
    List<AgentRun> expired(Instant now, Duration lease, int limit);

    /**
     * Marks an expired RUNNING run INTERRUPTED with its partial answer; false when it is no longer RUNNING or its
     * lease was renewed meanwhile (another node took it, or its owner came back).
     */
    boolean interrupt(String runId, String partialMessageId, Instant now, Duration lease);

    Optional<AgentRun> find(String runId);

    Optional<AgentRun> findByUserMessage(String userMessageId);

    /** The thread's RUNNING run (the one holding its slot), if any. */
    Optional<AgentRun> findRunning(String threadId);

    void completed(String runId, String assistantMessageId, String finishReason, String model, int inputTokens,
                   int outputTokens);

    void failed(String runId, String errorCode);

    void cancelled(String runId, String partialMessageId);
}
