package dev.candor.application.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's encoded events in memory, from its first event until every one of them is in the durable log. A resume on
 * this node replays from here, so it never sees the gap between what was sent and what the log holds yet.
 */
public final class RunJournal {

    private final String runId;
    private final List<EncodedEvent> events = new ArrayList<>();
    private int written;

    RunJournal(String runId) {
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }

    synchronized void add(EncodedEvent event) {
        events.add(event);
    }

    /** The events with {@code seq > afterSeq}, in order. */
    public synchronized List<EncodedEvent> after(long afterSeq) {
        int from = (int) Math.max(0, Math.min(afterSeq, events.size()));
        return List.copyOf(events.subList(from, events.size()));
    }

    /** True once the run has sent its terminal event. */
    public synchronized boolean ended() {
        return !events.isEmpty() && events.get(events.size() - 1).terminal();
    }

    /** The events not yet in the durable log, oldest first. */
    synchronized List<EncodedEvent> unwritten(int max) {
        return List.copyOf(events.subList(written, Math.min(events.size(), written + max)));
    }

    synchronized boolean hasUnwritten() {
        return written < events.size();
    }

    synchronized void written(int count) {
        written += count;
    }

    /** True when the run has ended and all its events are durable: the journal is no longer needed. */
    synchronized boolean durable() {
        return written == events.size() && ended();
    }
}
