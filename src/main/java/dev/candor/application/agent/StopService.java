package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunStatus;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code stop_run} from any node. A run executing here is cancelled at once. A RUNNING run of the owner on another node
 * gets a durable stop flag and a broadcast ({@link RunStops}); the stopping connection then follows the run from its
 * newest event, so it sees the run's terminal event. Every node cancels its own runs that a broadcast names
 * ({@link StopRequested}) and, every 500 ms, those whose flag is set (a broadcast sent while its subscriber was
 * reconnecting is not lost). A run whose node died is not cancelled: it ends RUN_INTERRUPTED when its lease expires.
 */
@ApplicationScoped
public class StopService {

    private static final Logger LOG = Logger.getLogger(StopService.class.getName());
    static final long FLAG_CHECK_MS = 500;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    ResumeService resume;

    @Inject
    RunStops stops;

    @Inject
    DependencyMonitor monitor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> flagCheck;

    void schedule(@Observes @Initialized(ApplicationScoped.class) Object event) {
        flagCheck = scheduler.scheduleWithFixedDelay(this::checkFlags, FLAG_CHECK_MS, FLAG_CHECK_MS,
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (flagCheck != null) {
            flagCheck.cancel(false);
        }
    }

    /**
     * Stops the owner's run wherever it runs; RUN_NOT_FOUND for an unknown run, another user's, or one that has ended.
     * {@code failedLater} gets what goes wrong while following a run of another node afterwards.
     */
    public void stop(String connectionId, String ownerId, String runId, Consumer<CandorException> failedLater) {
        if (supervisor.cancel(runId, ownerId)) {
            return;
        }
        if (supervisor.find(runId).isPresent()) {
            throw notInProgress(runId); // here, but ending already (or not the owner's)
        }
        AgentRun run = resume.owned(runId, ownerId);
        if (run.status() != RunStatus.RUNNING) {
            throw notInProgress(runId);
        }
        stops.request(runId);
        LOG.fine(() -> "stop of run " + runId + " (node " + run.ownerNode() + ") requested");
        try {
            resume.followFromNow(connectionId, run, failedLater);
        } catch (CandorException e) {
            failedLater.accept(new CandorException(e.code(), "Run " + runId + " is being stopped, but its end cannot "
                    + "be shown here: " + e.getMessage(), e.retryable(), e.retryAfterMs(), e.correlationId(), e));
        } catch (RuntimeException e) {
            // The stop was requested; only following it failed (Redis or the database, an instant after): say so.
            monitor.failed(e);
            ErrorReport report = Failures.report(e, "following run " + runId + " after its stop");
            failedLater.accept(new CandorException(report.code(), "Run " + runId + " is being stopped, but its end "
                    + "cannot be shown here: " + report.message(), report.retryable(), report.retryAfterMs(),
                    report.correlationId(), e));
        }
    }

    private static CandorException notInProgress(String runId) {
        return new CandorException(ErrorCode.RUN_NOT_FOUND, "run " + runId + " is not in progress (it may have ended "
                + "already)", false);
    }

    /** A stop was broadcast: the run is cancelled if it runs here, off the subscriber's thread. */
    void stopRequested(@Observes StopRequested request) {
        if (supervisor.find(request.runId()).isPresent()) {
            scheduler.execute(() -> cancel(request.runId()));
        }
    }

    /** Cancels the runs of this node whose stop flag is set, read in one round trip. */
    void checkFlags() {
        Set<String> mine = supervisor.activeRunIds();
        if (mine.isEmpty()) {
            return;
        }
        try {
            stops.requested(mine).forEach(this::cancel);
        } catch (CandorException notConnected) {
            LOG.fine(() -> "stop flags not checked: " + notConnected.getMessage()); // CACHE is being re-initialized
        } catch (RuntimeException e) {
            if (!monitor.failed(e)) {
                Failures.unexpected(e, "checking the stop flags of " + mine.size() + " runs");
            }
        }
    }

    private void cancel(String runId) {
        try {
            if (supervisor.cancelRequested(runId)) {
                LOG.info(() -> "run " + runId + " stopped on request");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not stop run " + runId + " on request", e);
        }
    }
}
