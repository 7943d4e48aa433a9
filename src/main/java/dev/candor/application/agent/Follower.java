package dev.candor.application.agent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One connection following one run. Delivers each event once, in seq order: while a resumed follower replays the
 * stored events, live ones are buffered and sent after the replay, so there is no gap and no duplicate.
 */
final class Follower {

    private final String connectionId;
    private long lastSeq;
    private boolean sawTerminal;
    private boolean replaying;
    private final List<EncodedEvent> buffered = new ArrayList<>();

    Follower(String connectionId, long afterSeq, boolean replaying) {
        this.connectionId = connectionId;
        this.lastSeq = afterSeq;
        this.replaying = replaying;
    }

    String connectionId() {
        return connectionId;
    }

    /** A live event; false when the connection is gone. */
    synchronized boolean offer(EncodedEvent event, EventSink sink) {
        if (replaying) {
            buffered.add(event);
            return true;
        }
        return send(event, sink);
    }

    /** The stored events after the resume point; then the buffered live ones; then live delivery. */
    synchronized boolean replayed(List<EncodedEvent> stored, EventSink sink) {
        boolean open = true;
        for (EncodedEvent event : stored) {
            open &= send(event, sink);
        }
        buffered.sort(Comparator.comparingLong(EncodedEvent::seq));
        for (EncodedEvent event : buffered) {
            open &= send(event, sink);
        }
        buffered.clear();
        replaying = false;
        return open;
    }

    synchronized boolean sawTerminal() {
        return sawTerminal;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    private boolean send(EncodedEvent event, EventSink sink) {
        if (event.seq() <= lastSeq) {
            return true;
        }
        lastSeq = event.seq();
        sawTerminal |= event.terminal();
        return sink.deliver(connectionId, event);
    }
}
