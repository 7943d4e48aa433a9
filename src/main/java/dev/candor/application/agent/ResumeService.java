package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code resume}: replays a run's events after a seq, then continues live, with no gap and no duplicate. A run whose
 * journal is on this node (live, or ended with events not all durable yet) is replayed from the journal; any other run
 * from its Redis stream, following it there while it still runs on another node. When the stream no longer holds every
 * event after the resume point (trimmed, expired, or lost with Redis), the contiguous part is replayed and then
 * {@code RUN_EVENTS_LOST}: never a silent gap.
 */
@ApplicationScoped
public class ResumeService {

    private static final Duration POLL = Duration.ofSeconds(2);

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
    CandorConfig config;

    @Inject
    DependencyMonitor monitor;

    @Resource
    ManagedExecutorService executor;

    /**
     * {@code connectionOpen} tells a remote follow when to give up; {@code failedLater} gets what goes wrong after this
     * call returned (events lost while following a run of another node). A failure before is thrown.
     */
    public void resume(String connectionId, String ownerId, String runId, long afterSeq, BooleanSupplier connectionOpen,
                       Consumer<CandorException> failedLater) {
        AgentRun run = runs.find(runId).filter(r -> threads.find(r.threadId(), ownerId).isPresent())
                .orElseThrow(() -> new CandorException(ErrorCode.RUN_NOT_FOUND, "run " + runId + " was not found",
                        false));
        var journal = writer.find(runId);
        if (journal.isPresent()) {
            EventBridge.ResumeHandle handle = bridge.resume(runId, connectionId, afterSeq);
            handle.replayed(journal.get().after(afterSeq));
            return;
        }
        List<EncodedEvent> read = log.after(runId, afterSeq);
        List<EncodedEvent> stored = contiguous(afterSeq, read);
        bridge.replay(connectionId, stored);
        if (stored.size() < read.size()) {
            throw eventsLost(runId);
        }
        boolean ended = !stored.isEmpty() && stored.get(stored.size() - 1).terminal();
        if (!ended && run.status() == RunStatus.RUNNING) {
            long last = stored.isEmpty() ? afterSeq : stored.get(stored.size() - 1).seq();
            executor.execute(() -> followRemote(connectionId, runId, last, connectionOpen, failedLater));
        }
    }

    /** The events that continue {@code afterSeq} one seq at a time, up to the first hole. */
    static List<EncodedEvent> contiguous(long afterSeq, List<EncodedEvent> events) {
        int count = 0;
        for (long expected = afterSeq + 1; count < events.size() && events.get(count).seq() == expected; expected++) {
            count++;
        }
        return count == events.size() ? events : List.copyOf(events.subList(0, count));
    }

    private static CandorException eventsLost(String runId) {
        return new CandorException(ErrorCode.RUN_EVENTS_LOST, "Some events of run " + runId + " could not be "
                + "recovered, so it cannot be shown in full. The stored answer, if any, is in the thread history.", false);
    }

    /** Follows a run of another server through its stream until it ends, the client leaves or it falls silent. */
    private void followRemote(String connectionId, String runId, long afterSeq, BooleanSupplier connectionOpen,
                              Consumer<CandorException> failedLater) {
        try {
            if (!follow(connectionId, runId, afterSeq, connectionOpen, failedLater) && connectionOpen.getAsBoolean()) {
                failedLater.accept(new CandorException(ErrorCode.RUN_EVENTS_LOST, "Run " + runId + " sent no event "
                        + "for " + config.llm().requestTimeout().toSeconds() + " s, so Candor stopped following it. "
                        + "Resume it again later; the stored answer, if any, is in the thread history.", true));
            }
        } catch (RuntimeException e) {
            monitor.failed(e);
            failedLater.accept(new CandorException(ErrorCode.SERVICE_UNAVAILABLE, "Following run " + runId
                    + " stopped: " + Failures.report(e, "following run " + runId).message(), true));
        }
    }

    /** True when the follow ended (terminal event, gap reported, client gone); false when the run fell silent. */
    private boolean follow(String connectionId, String runId, long afterSeq, BooleanSupplier connectionOpen,
                           Consumer<CandorException> failedLater) {
        long last = afterSeq;
        long silentMs = 0;
        long limitMs = config.llm().requestTimeout().toMillis();
        while (connectionOpen.getAsBoolean() && silentMs < limitMs) {
            List<EncodedEvent> read = log.await(runId, last, POLL);
            if (read.isEmpty()) {
                silentMs += POLL.toMillis();
                continue;
            }
            silentMs = 0;
            List<EncodedEvent> events = contiguous(last, read);
            if (!bridge.replay(connectionId, events)) {
                return true;
            }
            if (events.size() < read.size()) {
                failedLater.accept(eventsLost(runId));
                return true;
            }
            EncodedEvent newest = events.get(events.size() - 1);
            last = newest.seq();
            if (newest.terminal()) {
                return true;
            }
        }
        return !connectionOpen.getAsBoolean();
    }
}
