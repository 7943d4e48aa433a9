package dev.candor.application.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Port to the durable per-run event stream (Redis Streams), readable from any server node. */
public interface RunEventLog {

    /** Appends the events, which may belong to several runs, in order, in one round trip. */
    void append(List<EncodedEvent> events);

    /** The stored events of the run with {@code seq > afterSeq}, in order. */
    List<EncodedEvent> after(String runId, long afterSeq);

    /**
     * For each run of {@code afterSeqs}, its stored events with {@code seq} above the given one, in order, at most
     * {@code limit} per run: one round trip for all of them, never blocking. Runs with no such event map to an empty list.
     */
    Map<String, List<EncodedEvent>> afterEach(Map<String, Long> afterSeqs, int limit);

    /** The run's newest stored event; empty when its stream holds none (never written, or expired). */
    Optional<EncodedEvent> last(String runId);
}
