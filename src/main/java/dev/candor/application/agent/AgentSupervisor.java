package dev.candor.application.agent;

import dev.candor.application.limit.UsageLimits;
import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.application.metrics.RunMetrics;
import dev.candor.application.rollout.Cohorts;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.application.tracing.TurnTrace;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Starts agent runs, keeps the ones in progress on this node, allows one run per thread, and stops runs. */
@ApplicationScoped
public class AgentSupervisor {

    @Inject
    DependencyMonitor monitor;

    @Inject
    LanguageModel model;

    @Inject
    ToolRegistry registry;

    @Inject
    ToolRunner tools;

    @Inject
    ApprovalService approvals;

    @Inject
    RunOutcomes outcomes;

    @Inject
    EventLogWriter writer;

    @Inject
    EventBridge bridge;

    @Inject
    RunEventEncoder encoder;

    @Inject
    CandorConfig config;

    @Inject
    UsageLimits limits;

    @Inject
    RolloutSwitches rollout;

    @Inject
    RunMetrics metrics;

    @Inject
    Cohorts cohorts;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final ConcurrentMap<String, RunExecution> active = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> busyThreads = new ConcurrentHashMap<>();

    /**
     * Reserves the owner's thread for one run; false when a run is already in progress on it. Keyed by owner, so a
     * claim on someone else's thread id never collides with theirs: that message gets THREAD_NOT_FOUND, not
     * THREAD_BUSY, and learns nothing about the other thread.
     */
    public boolean claimThread(String ownerId, String threadId) {
        return busyThreads.putIfAbsent(claim(ownerId, threadId), Boolean.TRUE) == null;
    }

    public void releaseThread(String ownerId, String threadId) {
        busyThreads.remove(claim(ownerId, threadId));
    }

    /**
     * Starts a run on a thread claimed with {@link #claimThread}, on the calling thread: nothing in a run's start
     * waits on I/O (the provider request is sent asynchronously, events are written to the log in the background).
     */
    public RunExecution start(RunSpec spec) {
        return start(spec, UsageLimits.Slot.NONE, TurnTrace.none());
    }

    /**
     * As {@link #start(RunSpec)}; {@code slot}, the user's place among their concurrent runs, is freed as it ends, and
     * the run's spans are children of {@code turn}, which its terminal event ends.
     */
    public RunExecution start(RunSpec spec, UsageLimits.Slot slot, TurnTrace turn) {
        RunContext context = new RunContext(model, registry, tools, approvals, outcomes, writer, bridge, encoder,
                config.agent(),
                StoreRetry.on(scheduler, config.agent().storeRetry(), monitor::failed),
                StoreRetry.inBackground(scheduler, monitor::failed), limits, rollout, metrics, cohorts);
        RunExecution run = new RunExecution(context, spec, turn, () -> {
            releaseThread(spec.ownerId(), spec.threadId());
            slot.release();
        }, () -> active.remove(spec.runId()));
        active.put(spec.runId(), run);
        run.start();
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

    /**
     * Stops the run if it is in progress on this server, whoever asked: the node that took the {@code stop_run}
     * checked that it was the owner's. False when it is not here or has already ended (or is ending).
     */
    boolean cancelRequested(String runId) {
        RunExecution run = active.get(runId);
        return run != null && run.cancel();
    }

    /**
     * The runs this node holds the leases of: those it executes, and those that sent their terminal event but whose end
     * is still being stored.
     */
    public Set<String> activeRunIds() {
        return Set.copyOf(active.keySet());
    }

    /** The calls whose approval this node's runs await: run id -> call id. */
    Map<String, String> awaitedApprovals() {
        Map<String, String> awaited = new HashMap<>();
        active.forEach((runId, run) -> run.awaitedApproval().ifPresent(callId -> awaited.put(runId, callId)));
        return awaited;
    }

    public int activeRunCount() {
        return active.size();
    }

    private static String claim(String ownerId, String threadId) {
        return ownerId + '\0' + threadId;
    }
}
