package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code resume}: replays a run's events after a seq, then continues live, with no gap and no duplicate. A run whose
 * journal is on this node (live, or ended with events not all durable yet) is replayed from the journal; any other run
 * from its Redis stream, then followed there by this node's one reader ({@link RemoteFollows}) while more may come.
 * When the stream no longer holds every event after the resume point (trimmed, expired, or lost with Redis), the
 * contiguous part is replayed and then {@code RUN_EVENTS_LOST}: never a silent gap.
 */
@ApplicationScoped
public class ResumeService {

    @Inject
    RunRepository runs;

    @Inject
    ThreadRepository threads;

    @Inject
    EventLogWriter writer;

    @Inject
    RunEventLog log;

    @Inject
    EventBridge bridge;

    @Inject
    RemoteFollows follows;

    /**
     * {@code failedLater} gets what goes wrong after this call returned (events lost while following a run of another
     * node). A failure before is thrown.
     */
    public void resume(String connectionId, String ownerId, String runId, long afterSeq,
                       Consumer<CandorException> failedLater) {
        follow(connectionId, owned(runId, ownerId), afterSeq, failedLater);
    }

    /** The owner's run; RUN_NOT_FOUND for an unknown run or another user's. */
    AgentRun owned(String runId, String ownerId) {
        return runs.find(runId).filter(r -> threads.find(r.threadId(), ownerId).isPresent())
                .orElseThrow(() -> notFound(runId));
    }

    static CandorException notFound(String runId) {
        return new CandorException(ErrorCode.RUN_NOT_FOUND, "run " + runId + " was not found", false);
    }

    /**
     * The connection follows the run from its newest event (its terminal event included, when that is the newest),
     * unless it follows it already: what a {@code stop_run} taken on this node for a run of another one does.
     */
    void followFromNow(String connectionId, AgentRun run, Consumer<CandorException> failedLater) {
        if (bridge.follows(run.id(), connectionId)) {
            return;
        }
        Optional<EncodedEvent> newest = log.last(run.id());
        long afterSeq = newest.map(e -> e.terminal() ? e.seq() - 1 : e.seq()).orElse(0L);
        follow(connectionId, run, afterSeq, failedLater);
    }

    private void follow(String connectionId, AgentRun run, long afterSeq, Consumer<CandorException> failedLater) {
        String runId = run.id();
        var journal = writer.find(runId);
        if (journal.isPresent()) {
            EventBridge.ResumeHandle handle = bridge.resume(runId, connectionId, afterSeq);
            handle.replayed(journal.get().after(afterSeq));
            return;
        }
        follows.remove(runId, connectionId); // a resume sent again replaces the earlier one
        follows.reserve(runId);
        boolean following = false;
        try {
            EventBridge.ResumeHandle handle = bridge.resume(runId, connectionId, afterSeq); // buffers what is read live
            List<EncodedEvent> read = log.after(runId, afterSeq);
            List<EncodedEvent> stored = contiguous(afterSeq, read);
            if (stored.size() < read.size()) {
                bridge.unfollow(runId, connectionId);
                bridge.replay(connectionId, stored);
                throw eventsLost(runId);
            }
            if (!handle.replayed(stored) || nothingMore(run, stored)) {
                bridge.unfollow(runId, connectionId);
                return;
            }
            follows.add(runId, connectionId, stored.isEmpty() ? afterSeq : stored.get(stored.size() - 1).seq(),
                    failedLater);
            following = true;
        } finally {
            if (!following) {
                bridge.unfollow(runId, connectionId); // also when reading failed: no follower left buffering forever
                follows.release();
            }
        }
    }

    /**
     * True when no event can follow: the run has ended (in the database) and its stream has nothing after the resume
     * point because it expired or ends with the terminal event. A run that ended while its stream holds no terminal
     * event is followed: the reader ends that follow with RUN_EVENTS_LOST after a short grace.
     */
    private boolean nothingMore(AgentRun run, List<EncodedEvent> stored) {
        if (run.status() == RunStatus.RUNNING || !stored.isEmpty()) {
            return false;
        }
        return log.last(run.id()).map(EncodedEvent::terminal).orElse(true);
    }

    /** The events that continue {@code afterSeq} one seq at a time, up to the first hole. */
    static List<EncodedEvent> contiguous(long afterSeq, List<EncodedEvent> events) {
        int count = 0;
        for (long expected = afterSeq + 1; count < events.size() && events.get(count).seq() == expected; expected++) {
            count++;
        }
        return count == events.size() ? events : List.copyOf(events.subList(0, count));
    }

    static CandorException eventsLost(String runId) {
        return new CandorException(ErrorCode.RUN_EVENTS_LOST, "Some events of run " + runId + " could not be "
                + "recovered, so it cannot be shown in full. The stored answer, if any, is in the thread history.", false);
    }
}
