package dev.candor.application.startup;

import dev.candor.application.metrics.InitMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.AccessTimeout;
import jakarta.ejb.AsyncResult;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import dev.candor.application.tracing.InitializationTrace;
import dev.candor.application.tracing.TraceScope;
import dev.candor.application.tracing.Tracing;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the startup phases in order and records each outcome in the {@link PhaseLedger}. It orchestrates only: the work
 * is in the phase beans. Runs hold the container-managed write lock, so callers that must wait for initialization
 * wait on the container; the ledger stays readable meanwhile. A failed phase never fails the deployment.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
@AccessTimeout(value = 5, unit = TimeUnit.MINUTES)
public class StartupOrchestrator {

    private static final Logger LOG = Logger.getLogger(StartupOrchestrator.class.getName());

    @Inject
    PhaseLedger ledger;

    @Inject
    @Any
    Instance<StartupPhase> phaseBeans;

    @Inject
    InitMetrics metrics;

    @Resource
    SessionContext context;

    @Inject
    Tracing tracing;

    private final Map<Phase, StartupPhase> phases = new EnumMap<>(Phase.class);

    @PostConstruct
    void start() {
        for (StartupPhase bean : phaseBeans) {
            if (phases.putIfAbsent(bean.phase(), bean) != null) {
                throw new IllegalStateException("two beans implement startup phase " + bean.phase());
            }
        }
        if (phases.size() != Phase.total()) {
            throw new IllegalStateException("startup phases without a bean: " + missingPhases());
        }
        // Through the business object, so the first attempt runs asynchronously and the deployment completes at once.
        context.getBusinessObject(StartupOrchestrator.class).initializeAsync(ledger.attempts());
    }

    @Asynchronous
    @Lock(LockType.WRITE)
    public Future<StartupReport> initializeAsync(long attemptsSeen) {
        return new AsyncResult<>(attempt(attemptsSeen, true));
    }

    /**
     * Runs every phase that is not READY, in order: a single flight. A caller passes the number of attempts it saw
     * finished before it asked; if another attempt finished since, the caller waited for that one and gets its result
     * instead of starting a new one.
     */
    @Lock(LockType.WRITE)
    public StartupReport runPendingPhases(long attemptsSeen) {
        return attempt(attemptsSeen, false);
    }

    /** One attempt, the one at {@code boot} or one on demand (clients waiting, the background probe). */
    private StartupReport attempt(long attemptsSeen, boolean boot) {
        if (ledger.attempts() != attemptsSeen || ledger.isComplete()) {
            return ledger.report();
        }
        ledger.attemptStarted();
        InitializationTrace trace = tracing.startInitialization(ledger.attempts() + 1);
        long start = System.nanoTime();
        try (TraceScope ignored = trace.activate()) {
            runPhases(trace);
        } finally {
            ledger.attemptFinished();
            trace.ended(ledger.isComplete());
            metrics.attemptEnded(boot, ledger.isComplete(), System.nanoTime() - start);
        }
        return ledger.report();
    }

    /**
     * Runs every phase from the first one that is not READY to the last, in order: a phase after a re-run one runs
     * again too, since it builds on it (each phase is idempotent). Phases after a failure wait, PENDING. A phase lost
     * meanwhile before the current one ends the attempt the same way; the next attempt starts from it.
     */
    private void runPhases(InitializationTrace trace) {
        Phase failed = null;
        boolean running = false;
        for (Phase phase : Phase.values()) {
            if (failed == null && running) {
                failed = firstDownBefore(phase);
            }
            if (failed != null) {
                ledger.blocked(phase, failed);
                continue;
            }
            if (!running && ledger.get(phase).isReady()) {
                continue;
            }
            running = true;
            if (!runPhase(phase, trace)) {
                failed = phase;
            }
        }
    }

    private Phase firstDownBefore(Phase phase) {
        for (Phase earlier : Phase.values()) {
            if (earlier == phase) {
                return null;
            }
            if (!ledger.get(earlier).isReady()) {
                return earlier;
            }
        }
        return null;
    }

    private boolean runPhase(Phase phase, InitializationTrace trace) {
        String previousError = ledger.get(phase).error();
        ledger.started(phase);
        long start = System.nanoTime();
        InitializationTrace.PhaseRun span = trace.phase(phase.name().toLowerCase(Locale.ROOT));
        try (TraceScope ignored = span.activate()) {
            phases.get(phase).run();
            span.succeeded();
            long ms = elapsedMs(start);
            ledger.ready(phase, ms);
            metrics.phaseRan(phase, true, System.nanoTime() - start);
            LOG.info(() -> String.format("phase %d/%d %s ready in %d ms", phase.number(), Phase.total(), phase, ms));
            return true;
        } catch (Exception | LinkageError e) {
            span.failed(e);
            long ms = elapsedMs(start);
            String reason = describe(e);
            boolean repeated = reason.equals(previousError);
            ledger.failed(phase, ms, reason);
            metrics.phaseRan(phase, false, System.nanoTime() - start);
            // While clients wait the phase is retried every few seconds: log a failure once, not on every retry.
            LOG.log(repeated ? Level.FINE : Level.WARNING, String.format("phase %d/%d %s failed in %d ms: %s",
                    phase.number(), Phase.total(), phase, ms, reason));
            LOG.log(Level.FINE, "phase " + phase + " failure detail", e);
            return false;
        }
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** The exception's own message, followed by its root cause when that adds something. */
    static String describe(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (cause: " + root.getMessage() + ")";
        }
        return message;
    }

    private String missingPhases() {
        return java.util.Arrays.stream(Phase.values()).filter(p -> !phases.containsKey(p)).toList().toString();
    }
}
