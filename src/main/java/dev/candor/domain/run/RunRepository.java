package dev.candor.domain.run;

import java.util.Optional;

/** Port for storing agent runs. */
public interface RunRepository {

    /** Stores a new RUNNING run with an id chosen beforehand. */
    AgentRun start(String runId, String threadId, String userMessageId);

    Optional<AgentRun> find(String runId);

    Optional<AgentRun> findByUserMessage(String userMessageId);

    /** The thread's run still marked RUNNING, if any. */
    Optional<AgentRun> findRunning(String threadId);

    void completed(String runId, String assistantMessageId, String finishReason, String model, int inputTokens,
                   int outputTokens);

    void failed(String runId, String errorCode);

    void cancelled(String runId, String partialMessageId);
}
