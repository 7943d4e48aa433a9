package dev.candor.application;

import dev.candor.application.metrics.InitMetrics;
import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.application.startup.Dependency;
import dev.candor.application.startup.PhaseRecord;
import dev.candor.application.startup.PhaseState;
import dev.candor.application.startup.StartupReport;
import dev.candor.application.startup.StartupService;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.InitConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Where a connecting client waits for initialization. All waiting clients share one readiness future and one
 * on-demand retry loop: while anyone waits and startup is incomplete, the missing phases are re-run (through the
 * orchestrator's single flight) every candor.init.retry-interval-ms on one managed thread. A waiting client holds no
 * thread. Each wait is bounded: progressively (candor.init.timeouts-ms, growing with consecutive failed waits) and,
 * as a ceiling, by MicroProfile Fault Tolerance {@link Timeout}; a {@link CircuitBreaker} turns repeated failures into
 * an immediate refusal. A client whose cohort has the rollout switch init.on-demand off starts no attempt: it waits for
 * the one under way only ({@link #awaitRunningAttempt()}).
 */
@ApplicationScoped
public class ServiceInitializationGate {

    private static final Logger LOG = Logger.getLogger(ServiceInitializationGate.class.getName());

    @Inject
    StartupService startup;

    @Inject
    CandorConfig config;

    @Inject
    RolloutSwitches rollout;

    @Inject
    InitMetrics metrics;

    @Resource
    ManagedScheduledExecutorService executor;

    private final AtomicInteger failureLevel = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private CompletableFuture<StartupReport> readiness;
    private boolean retrying;
    /** Completes when the retry loop's attempt under way (or, between two, its next one) ends. */
    private CompletableFuture<StartupReport> attemptEnd = new CompletableFuture<>();
    private long firstWaitNanos; // when the first client still waiting began to; 0 while nobody waits

    /**
     * Completes with the report once every phase is READY, or fails with {@link InitializationFailedException}. While
     * the circuit is open it fails at once with the Fault Tolerance CircuitBreakerOpenException, starting nothing.
     */
    @Asynchronous
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 15, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 1)
    public CompletionStage<StartupReport> awaitReady() {
        if (startup.isComplete()) {
            failureLevel.set(0);
            return CompletableFuture.completedFuture(startup.report());
        }
        int level = failureLevel.get();
        Duration bound = boundFor(level);
        CompletableFuture<StartupReport> result = new CompletableFuture<>();
        waiting.incrementAndGet();
        readiness().copy().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).whenComplete((report, error) -> {
            waiting.decrementAndGet();
            if (error == null) {
                result.complete(report);
            } else {
                failureLevel.compareAndSet(level, level + 1);
                result.completeExceptionally(failure(bound));
            }
        });
        return result;
    }

    /**
     * True when the waits of {@code userId} (null: a user not known yet) may start initialization attempts: always
     * until the boot has completed once (before that nothing else retries, and a client that connects while Candor is
     * down often cannot be identified yet), then while the rollout switch init.on-demand (default 100%) is on for them.
     * Otherwise they wait with {@link #awaitRunningAttempt()}, and the background probe re-initializes.
     */
    public boolean startsAttemptsFor(String userId) {
        return !startup.bootCompleted() || rollout.on(RolloutSwitches.INIT_ON_DEMAND, userId, 100);
    }

    /**
     * Waits, within the current bound, for the end of the attempt under way (the boot attempt, one another client or
     * the background probe started, or the retry loop's next one while other clients wait) and never starts one.
     * Completes with the report when that attempt made Candor ready; otherwise fails with
     * {@link InitializationFailedException}: when the attempt ended without it, when the bound passed, and at once when
     * no attempt is under way.
     */
    public CompletionStage<StartupReport> awaitRunningAttempt() {
        if (startup.isComplete()) {
            return CompletableFuture.completedFuture(startup.report());
        }
        CompletableFuture<StartupReport> end;
        synchronized (this) {
            end = retrying ? attemptEnd : null;
        }
        if (end == null) {
            end = startup.attemptUnderWay().orElse(null);
        }
        if (end == null) {
            return CompletableFuture.failedFuture(notStarted(false));
        }
        Duration bound = currentBound();
        CompletableFuture<StartupReport> result = new CompletableFuture<>();
        end.copy().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).whenComplete((report, error) -> {
            if (error != null) {
                result.completeExceptionally(failure(bound));
            } else if (report.complete()) {
                result.complete(report);
            } else {
                result.completeExceptionally(notStarted(true));
            }
        });
        return result;
    }

    /** The bound the next waiting client gets. */
    public Duration currentBound() {
        return boundFor(failureLevel.get());
    }

    private Duration boundFor(int level) {
        var bounds = config.init().bounds();
        return bounds.get(Math.min(level, bounds.size() - 1));
    }

    private synchronized CompletableFuture<StartupReport> readiness() {
        if (readiness == null || readiness.isDone()) {
            readiness = new CompletableFuture<>();
        }
        if (firstWaitNanos == 0) {
            firstWaitNanos = System.nanoTime();
        }
        if (!retrying) {
            retrying = true;
            executor.execute(this::attempt);
        }
        return readiness;
    }

    /**
     * Starts one attempt now if none is under way, even with nobody waiting: the background probe calls this while a
     * phase is down, so a server that load balancers stopped sending clients to (readiness DOWN) still recovers.
     */
    public void recover() {
        synchronized (this) {
            if (retrying) {
                return;
            }
            retrying = true;
            if (readiness == null || readiness.isDone()) {
                readiness = new CompletableFuture<>();
            }
        }
        executor.execute(this::attempt);
    }

    /** One on-demand attempt; schedules the next while clients still wait. */
    private void attempt() {
        StartupReport report;
        try {
            report = startup.ensureInitialized();
        } catch (RuntimeException e) {
            report = startup.report();
        }
        CompletableFuture<StartupReport> ended;
        synchronized (this) {
            ended = attemptEnd;
            attemptEnd = new CompletableFuture<>();
            if (report.complete()) {
                failureLevel.set(0);
                readiness.complete(report);
                retrying = false;
                if (firstWaitNanos != 0) {
                    metrics.readyAfterWait(System.nanoTime() - firstWaitNanos);
                }
                firstWaitNanos = 0;
            } else if (waiting.get() == 0) {
                retrying = false; // nobody waits any more
                firstWaitNanos = 0;
            } else {
                executor.schedule(this::attempt, config.init().retryInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        ended.complete(report);
    }

    private InitializationFailedException failure(Duration bound) {
        InitConfig init = config.init();
        PhaseRecord phase = currentPhase();
        String id = Failures.correlationId();
        LOG.warning(() -> "[" + id + "] a client's wait for initialization ended after " + bound.toMillis()
                + " ms: " + describe(phase));
        String message = "Candor could not finish starting within " + bound.toMillis() / 1000.0 + " s: "
                + whatIsDown(phase) + ". " + reconnect(init.retryInterval().toMillis(), id);
        return new InitializationFailedException(phase.phase().name(), message, init.retryInterval().toMillis(), id,
                true);
    }

    /**
     * Why a client that starts no attempt gets no {@code ready}: the attempt it waited for ended without it
     * ({@code attemptEnded}), or none was under way. It says whether anything retries without it.
     */
    private InitializationFailedException notStarted(boolean attemptEnded) {
        boolean background = startup.bootCompleted(); // the background probe re-initializes only after boot
        long retryMs = (background ? config.health().refreshInterval() : config.init().retryInterval()).toMillis();
        PhaseRecord phase = currentPhase();
        String id = Failures.correlationId();
        LOG.info(() -> "[" + id + "] a client whose cohort starts no initialization attempt (rollout switch "
                + RolloutSwitches.INIT_ON_DEMAND + ") was not made ready: " + (attemptEnded
                ? "the attempt it waited for ended; " : "no attempt was under way; ") + describe(phase));
        String message = "Candor is not ready: " + whatIsDown(phase) + (attemptEnded
                ? ", and the initialization attempt under way ended without making it ready."
                : ", and no initialization attempt is under way.")
                + (background ? " Candor retries in the background every " + retryMs / 1000.0 + " s." : "") + " "
                + reconnect(retryMs, id);
        return new InitializationFailedException(phase.phase().name(), message, retryMs, id);
    }

    private PhaseRecord currentPhase() {
        StartupReport report = startup.report();
        return report.current().orElse(report.phases().get(report.phases().size() - 1));
    }

    private static String describe(PhaseRecord phase) {
        return "phase " + phase.phase() + " is " + phase.state() + (phase.error() != null ? ": " + phase.error() : "");
    }

    private static String whatIsDown(PhaseRecord phase) {
        return Dependency.userName(phase.phase()) + " " + (phase.state() == PhaseState.FAILED ? "is not available"
                : "is still being prepared") + " (phase " + phase.phase() + ")";
    }

    private static String reconnect(long retryMs, String correlationId) {
        return "Reconnect in " + retryMs / 1000.0 + " s; if this persists, an operator should check /health/ready and "
                + "the log line with correlation id " + correlationId + ".";
    }
}
