package dev.candor.application.agent;

import dev.candor.application.chat.EventBridge;
import dev.candor.application.chat.ThreadService;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.domain.run.RunRepository;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Starts agent runs on managed threads, keeps the ones in progress, allows one run per thread, and stops runs. */
@ApplicationScoped
public class AgentSupervisor {

    @Inject
    LanguageModel model;

    @Inject
    ToolRegistry tools;

    @Inject
    RunEventLog log;

    @Inject
    EventBridge bridge;

    @Inject
    ThreadService threads;

    @Inject
    RunRepository runs;

    @Inject
    CandorConfig config;

    @Resource
    ManagedExecutorService executor;

    private final ConcurrentMap<String, RunExecution> active = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> busyThreads = new ConcurrentHashMap<>();

    /** Reserves the thread for one run; false when a run is already in progress on it. */
    public boolean claimThread(String threadId) {
        return busyThreads.putIfAbsent(threadId, Boolean.TRUE) == null;
    }

    public void releaseThread(String threadId) {
        busyThreads.remove(threadId);
    }

    /** Creates and starts a run on a thread claimed with {@link #claimThread}. */
    public RunExecution start(String runId, String threadId, String ownerId, String userMessageId,
                              String newThreadTitle, List<LlmMessage> conversation) {
        RunServices services = new RunServices(model, tools, log, bridge, threads, runs, config.agent(), executor);
        RunExecution run = new RunExecution(services, runId, threadId, ownerId, userMessageId, newThreadTitle,
                conversation, () -> finished(runId, threadId));
        active.put(runId, run);
        executor.execute(run::start);
        return run;
    }

    public Optional<RunExecution> find(String runId) {
        return Optional.ofNullable(active.get(runId));
    }

    /** Stops the owner's run if it is in progress on this server; false otherwise. */
    public boolean cancel(String runId, String ownerId) {
        RunExecution run = active.get(runId);
        return run != null && run.ownerId().equals(ownerId) && run.cancel();
    }

    public int activeRunCount() {
        return active.size();
    }

    private void finished(String runId, String threadId) {
        active.remove(runId);
        busyThreads.remove(threadId);
    }
}
