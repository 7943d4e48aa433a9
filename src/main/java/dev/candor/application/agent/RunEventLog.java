package dev.candor.application.agent;

import java.time.Duration;
import java.util.List;

/** Port to the durable per-run event stream (Redis Streams), readable from any server node. */
public interface RunEventLog {

    /** Appends the event; it is sent to clients only after this returns. */
    void append(AgentEvent event);

    /** The stored events with {@code seq > afterSeq}, in order. */
    List<AgentEvent> after(String runId, long afterSeq);

    /** Waits up to {@code wait} for events with {@code seq > afterSeq}; empty when none arrived. */
    List<AgentEvent> await(String runId, long afterSeq, Duration wait);
}
