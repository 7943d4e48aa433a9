package dev.candor.interfaces.health;

import dev.candor.application.ServiceInitializationGate;
import dev.candor.application.metrics.DependencyMetrics;
import dev.candor.application.startup.Dependency;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.PhaseEvent;
import dev.candor.application.startup.PhaseState;
import dev.candor.application.startup.StartupService;
import dev.candor.infrastructure.cache.RedisClientProducer;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.llm.LlmManager;
import dev.candor.infrastructure.persistence.SchemaManager;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Probes the database, Redis and the LLM provider in the background, at candor.health.refresh-interval-ms, and keeps
 * the latest result, so readiness never blocks on a remote system. A dependency whose startup phase has not
 * completed is reported with that phase's state instead of being probed.
 */
@ApplicationScoped
public class DependencyProbe {

    private static final Logger LOG = Logger.getLogger(DependencyProbe.class.getName());

    /** The result of one probe round: dependency name to error text, null when it passed. */
    public record Result(Map<String, String> failures, long probedAtMillis) {
        public boolean allUp() {
            return failures.isEmpty();
        }
    }

    @Inject
    CandorConfig config;

    @Inject
    StartupService startup;

    @Inject
    SchemaManager database;

    @Inject
    RedisClientProducer redis;

    @Inject
    LlmManager llm;

    @Inject
    DependencyMonitor monitor;

    @Inject
    ServiceInitializationGate gate;

    @Inject
    DependencyMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile Result latest = new Result(Map.of("dependencies", "not probed yet"), 0);
    private ScheduledFuture<?> schedule;
    private volatile boolean stopping;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long interval = config.health().refreshInterval().toMillis();
        schedule = scheduler.scheduleWithFixedDelay(this::probe, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Re-probes as soon as a phase settles, so readiness follows startup without waiting for the next round. */
    void onPhase(@Observes PhaseEvent event) {
        if (event.state() == PhaseState.READY || event.state() == PhaseState.FAILED) {
            scheduler.execute(this::probe);
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        if (schedule != null) {
            schedule.cancel(true);
        }
    }

    public Result latest() {
        return latest;
    }

    /**
     * One probe round; also run by the scheduler. A dependency that fails its probe demotes its phase, so readiness
     * and the ledger agree; while a phase is down after boot, each round also asks the gate to re-initialize it.
     */
    public Result probe() {
        Map<String, String> failures = new LinkedHashMap<>();
        check(failures, "database", Dependency.DATABASE, () ->
                database.ping((int) Math.max(1, config.health().probeTimeout().toSeconds())));
        check(failures, "redis", Dependency.REDIS, redis::roundTrip);
        check(failures, "llm", Dependency.LLM, llm::verify);
        Result result = new Result(Map.copyOf(failures), System.currentTimeMillis());
        latest = result;
        if (!startup.isComplete() && startup.bootCompleted()) {
            gate.recover();
        }
        return result;
    }

    private void check(Map<String, String> failures, String name, Dependency dependency, Check check) {
        Phase phase = dependency.owner();
        var record = startup.report().get(phase);
        if (!record.isReady()) {
            failures.put(name, "phase " + phase + " is " + record.state()
                    + (record.error() != null ? ": " + record.error() : ""));
            return;
        }
        long start = System.nanoTime();
        try {
            check.run();
        } catch (Exception e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            failures.put(name, reason);
            LOG.log(Level.FINE, "health probe of " + name + " failed", e);
            if (!stopping && !Thread.currentThread().isInterrupted()) { // not a probe cut short by undeploy
                monitor.lost(dependency, "health probe: " + reason);
            }
        } finally {
            if (dependency != Dependency.LLM) { // its round trip is the provider's model list, not a dependency's latency
                metrics.probed(name, System.nanoTime() - start);
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }
}
