package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.AgentEvent;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.application.agent.RunEventLog;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code resume}: replays a run's events after a seq from its Redis stream, then continues live. A run in progress on
 * this server is followed directly; one running on another server is followed through its Redis stream.
 */
@ApplicationScoped
public class ResumeService {

    private static final Duration POLL = Duration.ofSeconds(2);

    @Inject
    RunRepository runs;

    @Inject
    ThreadService threads;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    RunEventLog log;

    @Inject
    EventBridge bridge;

    @Inject
    CandorConfig config;

    @Resource
    ManagedExecutorService executor;

    /** {@code connectionOpen} tells a remote follow when to give up. */
    public void resume(String connectionId, String ownerId, String runId, long afterSeq, BooleanSupplier connectionOpen) {
        AgentRun run = runs.find(runId).filter(r -> threads.owns(r.threadId(), ownerId)).orElseThrow(() ->
                new CandorException(ErrorCode.RUN_NOT_FOUND, "run " + runId + " was not found", false));
        if (supervisor.find(runId).isPresent()) {
            EventBridge.ResumeHandle handle = bridge.resume(runId, connectionId, afterSeq);
            handle.replayed(log.after(runId, afterSeq));
            return;
        }
        List<AgentEvent> stored = log.after(runId, afterSeq);
        bridge.replay(connectionId, stored);
        boolean ended = !stored.isEmpty() && stored.get(stored.size() - 1).isTerminal();
        if (!ended && run.status() == RunStatus.RUNNING) {
            long last = stored.isEmpty() ? afterSeq : stored.get(stored.size() - 1).seq();
            executor.execute(() -> followRemote(connectionId, runId, last, connectionOpen));
        }
    }

    /** Follows a run of another server through its stream until it ends, the client leaves or it falls silent. */
    private void followRemote(String connectionId, String runId, long afterSeq, BooleanSupplier connectionOpen) {
        long last = afterSeq;
        long silentMs = 0;
        long limitMs = config.llm().requestTimeout().toMillis();
        while (connectionOpen.getAsBoolean() && silentMs < limitMs) {
            List<AgentEvent> events = log.await(runId, last, POLL);
            if (events.isEmpty()) {
                silentMs += POLL.toMillis();
                continue;
            }
            silentMs = 0;
            if (!bridge.replay(connectionId, events)) {
                return;
            }
            AgentEvent newest = events.get(events.size() - 1);
            last = newest.seq();
            if (newest.isTerminal()) {
                return;
            }
        }
    }
}
