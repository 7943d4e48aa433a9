package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.Deadlines;
import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.RunStatus;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Tool approvals, answered on any node. A run that awaits one records the call in {@link RunApprovals}. An answer for a
 * run executing here reaches its wait at once; for a RUNNING run of the owner on another node it is handed over while
 * that call is awaited, and the run's node takes it from the broadcast ({@link ApprovalAnswered}) or, every 500 ms,
 * from the durable record (a broadcast sent while its subscriber was reconnecting is not lost). Any other answer is
 * APPROVAL_NOT_PENDING. While Redis is unreachable a run's approval can be answered on its own node only.
 */
@ApplicationScoped
public class ApprovalService {

    private static final Logger LOG = Logger.getLogger(ApprovalService.class.getName());
    static final long ANSWER_CHECK_MS = 500;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    ResumeService resume;

    @Inject
    RunApprovals approvals;

    @Inject
    Deadlines deadlines;

    @Inject
    DependencyMonitor monitor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> answerCheck;

    void schedule(@Observes @Initialized(ApplicationScoped.class) Object event) {
        answerCheck = scheduler.scheduleWithFixedDelay(this::checkAnswers, ANSWER_CHECK_MS, ANSWER_CHECK_MS,
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (answerCheck != null) {
            answerCheck.cancel(false);
        }
    }

    /**
     * Starts waiting for the user's approval of call {@code callId} of run {@code runId}, for at most {@code bound},
     * and records it for the other nodes; {@code decided} gets the answer, or {@link ToolApproval.Decision#TIMED_OUT},
     * once.
     */
    ToolApproval await(String runId, String callId, Duration bound, Consumer<ToolApproval.Decision> decided) {
        ToolApproval approval = new ToolApproval(callId, System.nanoTime() + bound.toNanos(), decided,
                () -> forgetLater(runId, callId));
        try {
            approvals.awaiting(runId, callId, bound);
        } catch (RuntimeException e) {
            monitor.failed(e);
            LOG.fine(() -> "run " + runId + " awaits approval of call " + callId + ", answerable on this node only: "
                    + e.getMessage());
        }
        deadlines.watch(approval);
        return approval;
    }

    /** The owner's answer to the approval of {@code callId}; APPROVAL_NOT_PENDING when no run awaits it. */
    public void answer(String ownerId, String runId, String callId, boolean approved) {
        Optional<RunExecution> local = supervisor.find(runId);
        boolean handed;
        if (local.isPresent()) {
            handed = local.get().ownerId().equals(ownerId) && local.get().answerApproval(callId, approved);
        } else {
            handed = ownedAndRunning(runId, ownerId) && approvals.answer(runId, callId, approved);
        }
        if (!handed) {
            throw new CandorException(ErrorCode.APPROVAL_NOT_PENDING, "no approval of call " + callId + " of run "
                    + runId + " is awaited (it was answered already, timed out, or the run ended)", false);
        }
    }

    private boolean ownedAndRunning(String runId, String ownerId) {
        try {
            return resume.owned(runId, ownerId).status() == RunStatus.RUNNING;
        } catch (CandorException notFound) {
            return false; // unknown or another user's: nothing is awaited for this user
        }
    }

    /** An answer given on another node: it reaches the run if it runs here, off the subscriber's thread. */
    void answered(@Observes ApprovalAnswered answer) {
        if (supervisor.find(answer.runId()).isPresent()) {
            scheduler.execute(() -> deliver(answer.runId(), answer.callId(), answer.approved()));
        }
    }

    /** Takes the answers given on other nodes for this node's awaited approvals, in one round trip. */
    void checkAnswers() {
        Map<String, String> awaited = supervisor.awaitedApprovals();
        if (awaited.isEmpty()) {
            return;
        }
        try {
            approvals.answered(awaited).forEach((runId, approved) -> deliver(runId, awaited.get(runId), approved));
        } catch (CandorException notConnected) {
            LOG.fine(() -> "approvals not checked: " + notConnected.getMessage()); // CACHE is being re-initialized
        } catch (RuntimeException e) {
            if (!monitor.failed(e)) {
                Failures.unexpected(e, "checking the approvals of " + awaited.size() + " runs");
            }
        }
    }

    private void deliver(String runId, String callId, boolean approved) {
        supervisor.find(runId).ifPresent(run -> {
            if (run.answerApproval(callId, approved)) {
                LOG.fine(() -> "approval of call " + callId + " of run " + runId + " answered on another node");
            }
        });
    }

    /** Removes the record off the caller's thread; at undeploy, when nothing runs any more, it expires on its own. */
    private void forgetLater(String runId, String callId) {
        try {
            scheduler.execute(() -> forget(runId, callId));
        } catch (RejectedExecutionException stopping) {
            LOG.fine(() -> "the approval record of run " + runId + " expires on its own: " + stopping);
        }
    }

    private void forget(String runId, String callId) {
        try {
            approvals.ended(runId, callId);
        } catch (RuntimeException e) {
            monitor.failed(e); // the record expires with the wait's bound
        }
    }
}
