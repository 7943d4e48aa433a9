package dev.candor.interfaces.health;

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

    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile Result latest = new Result(Map.of("dependencies", "not probed yet"), 0);
    private ScheduledFuture<?> schedule;

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
        if (schedule != null) {
            schedule.cancel(true);
        }
    }

    public Result latest() {
        return latest;
    }

    /** One probe round; also run by the scheduler. */
    public Result probe() {
        Map<String, String> failures = new LinkedHashMap<>();
        check(failures, "database", Phase.DATABASE, () ->
                database.ping((int) Math.max(1, config.health().probeTimeout().toSeconds())));
        check(failures, "redis", Phase.CACHE, redis::roundTrip);
        check(failures, "llm", Phase.DEPENDENCIES, llm::verify);
        Result result = new Result(Map.copyOf(failures), System.currentTimeMillis());
        latest = result;
        return result;
    }

    private void check(Map<String, String> failures, String name, Phase phase, Check check) {
        var record = startup.report().get(phase);
        if (!record.isReady()) {
            failures.put(name, "phase " + phase + " is " + record.state()
                    + (record.error() != null ? ": " + record.error() : ""));
            return;
        }
        try {
            check.run();
        } catch (Exception e) {
            failures.put(name, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            LOG.log(Level.FINE, "health probe of " + name + " failed", e);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }
}
