package dev.candor.application.agent;

import java.time.Duration;
import java.util.List;

/** Port to the durable per-run event stream (Redis Streams), readable from any server node. */
public interface RunEventLog {

    /** Appends the events, which may belong to several runs, in order, in one round trip. */
    void append(List<EncodedEvent> events);

    /** The stored events of the run with {@code seq > afterSeq}, in order. */
    List<EncodedEvent> after(String runId, long afterSeq);

    /** Waits up to {@code wait} for events with {@code seq > afterSeq}; empty when none arrived. */
    List<EncodedEvent> await(String runId, long afterSeq, Duration wait);
}
