package dev.candor.application.agent;

import java.time.Duration;
import java.util.Map;

/**
 * Port to the approvals every node shares, so that a {@code tool_approval} can be answered on any node: the node that
 * executes a run records the call it awaits; another node hands a user's answer over, only while that call is
 * awaited, by a durable record and a broadcast that the run's node hears at once (it then fires
 * {@link ApprovalAnswered}).
 */
public interface RunApprovals {

    /** Run {@code runId} awaits the user's approval of call {@code callId}, for at most {@code bound}. */
    void awaiting(String runId, String callId, Duration bound);

    /** The wait for call {@code callId} has ended (decided, timed out or cancelled): no other node may answer it. */
    void ended(String runId, String callId);

    /**
     * Hands the answer to the node executing the run, in one atomic step; false when run {@code runId} does not await
     * the approval of call {@code callId} (answered already, timed out, or the run ended).
     */
    boolean answer(String runId, String callId, boolean approved);

    /** Of the awaited calls ({@code run id -> call id}), those answered on another node, {@code run id -> approved}. */
    Map<String, Boolean> answered(Map<String, String> awaited);
}
