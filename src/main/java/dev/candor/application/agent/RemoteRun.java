package dev.candor.application.agent;

import dev.candor.application.CandorException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One run of another node followed through its stream by connections of this node: where its stream has been read up
 * to, and when it last moved. Decides, for each read, what its followers get and whether the follow ends. Not
 * thread-safe: only the one reader of {@link RemoteFollows} advances it.
 */
final class RemoteRun {

    /** How a read leaves the follow. */
    enum Outcome {
        /** Still following. */
        FOLLOWING,
        /** The terminal event was read: every follower has it. */
        ENDED,
        /** The stream skips a seq: the events before the hole were read. */
        GAP,
        /** Nothing new for the silence limit. */
        SILENT,
        /** The database says the run ended, and its stream still had no terminal event after the grace. */
        END_MISSING
    }

    /** The events to hand to the followers, in order, and the outcome. */
    record Step(List<EncodedEvent> events, Outcome outcome) {
    }

    private final String runId;
    private final long silenceLimitNanos;
    private final long graceNanos;
    private final Map<String, Consumer<CandorException>> followers = new ConcurrentHashMap<>();
    private long cursor;
    private long movedAt;
    private long statusCheckedAt;
    private boolean endedInDatabase;
    private long endedSeenAt;

    RemoteRun(String runId, long cursor, long now, Duration silenceLimit, Duration grace) {
        this.runId = runId;
        this.cursor = cursor;
        this.movedAt = now;
        this.statusCheckedAt = now;
        this.silenceLimitNanos = silenceLimit.toNanos();
        this.graceNanos = grace.toNanos();
    }

    String runId() {
        return runId;
    }

    /** The connections following it, each with where its failures go. */
    Map<String, Consumer<CandorException>> followers() {
        return followers;
    }

    /** The last seq read. */
    long cursor() {
        return cursor;
    }

    /** {@code read}: the stream's events after {@link #cursor()}, as read at {@code now} (nanoseconds). */
    Step advance(List<EncodedEvent> read, long now) {
        List<EncodedEvent> events = ResumeService.contiguous(cursor, read);
        if (!events.isEmpty()) {
            EncodedEvent newest = events.get(events.size() - 1);
            cursor = newest.seq();
            movedAt = now;
            if (newest.terminal()) {
                return new Step(events, Outcome.ENDED);
            }
        }
        if (events.size() < read.size()) {
            return new Step(events, Outcome.GAP);
        }
        if (now - movedAt >= silenceLimitNanos) {
            return new Step(events, Outcome.SILENT);
        }
        if (endedInDatabase && now - endedSeenAt >= graceNanos) {
            return new Step(events, Outcome.END_MISSING);
        }
        return new Step(events, Outcome.FOLLOWING);
    }

    /** True when its database status should be read again: silent for {@code every}, not read for as long. */
    boolean statusDue(long now, Duration every) {
        return !endedInDatabase && now - movedAt >= every.toNanos() && now - statusCheckedAt >= every.toNanos();
    }

    /** Its database status, read at {@code now}: once it no longer runs, the grace for its terminal event starts. */
    void status(boolean running, long now) {
        statusCheckedAt = now;
        if (!running && !endedInDatabase) {
            endedInDatabase = true;
            endedSeenAt = now;
        }
    }
}
