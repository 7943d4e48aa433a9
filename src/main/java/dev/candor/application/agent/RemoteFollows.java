package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.RunRepository;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The runs of other nodes that connections of this node follow, read by one task for all of them (no thread and no
 * Redis connection per follower): every 150 ms it reads the new events of every followed run in one round trip, each
 * after the last seq read, without blocking, and hands them to the run's followers through the {@link EventBridge},
 * which keeps each follower's events in order, without gap or duplicate. A follow ends at the run's terminal event;
 * with {@code RUN_EVENTS_LOST} at a hole in the stream, after candor.llm.request-timeout-ms without an event, or when
 * the database says the run ended and its stream still lacks its terminal event 3 s later; with
 * {@code SERVICE_UNAVAILABLE} when Redis cannot be read. The database is read off the reader's thread. At most
 * candor.runs.max-remote-followers follow at once.
 */
@ApplicationScoped
public class RemoteFollows {

    static final Duration TICK = Duration.ofMillis(150);
    static final Duration STATUS_EVERY = Duration.ofSeconds(1);
    static final Duration END_GRACE = Duration.ofSeconds(3);
    private static final int BATCH = 500;

    @Inject
    RunEventLog log;

    @Inject
    RunRepository runs;

    @Inject
    EventBridge bridge;

    @Inject
    CandorConfig config;

    @Inject
    DependencyMonitor monitor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final ConcurrentMap<String, RemoteRun> followed = new ConcurrentHashMap<>();
    private final AtomicInteger places = new AtomicInteger();
    private ScheduledFuture<?> reader;
    private RemoteRunStatuses statuses; // made at the first read, by the reader's thread

    void schedule(@Observes @Initialized(ApplicationScoped.class) Object event) {
        reader = scheduler.scheduleWithFixedDelay(this::readSafely, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (reader != null) {
            reader.cancel(false);
        }
    }

    /** Takes a place for one more follower; RATE_LIMITED when every place is taken. Give it back or {@link #add}. */
    void reserve(String runId) {
        int max = config.agent().maxRemoteFollowers();
        if (places.incrementAndGet() > max) {
            places.decrementAndGet();
            throw new CandorException(ErrorCode.RATE_LIMITED, "This server already follows " + max + " runs of other "
                    + "servers for its clients, so it cannot follow run " + runId + " now. Try again shortly (or "
                    + "through another server).", true, config.init().retryInterval().toMillis(), null);
        }
    }

    void release() {
        places.decrementAndGet();
    }

    /**
     * A connection with a reserved place, registered with the {@link EventBridge} and sent every event up to
     * {@code lastSeq}, follows the run from there on. {@code failed} gets the failure that ends the follow, if any.
     */
    void add(String runId, String connectionId, long lastSeq, Consumer<CandorException> failed) {
        followed.compute(runId, (id, run) -> {
            RemoteRun following = run != null ? run : new RemoteRun(id, lastSeq, System.nanoTime(),
                    config.llm().requestTimeout(), END_GRACE);
            if (following.followers().put(connectionId, failed) != null) {
                release(); // it followed already: one place for both
            }
            return following;
        });
    }

    /** The connection stops following the run (it resumes it again). */
    void remove(String runId, String connectionId) {
        RemoteRun run = followed.get(runId);
        if (run != null && run.followers().remove(connectionId) != null) {
            release();
        }
        bridge.unfollow(runId, connectionId);
    }

    int followerCount() {
        return places.get();
    }

    private void readSafely() {
        try {
            read(System.nanoTime());
        } catch (RuntimeException | Error e) {
            Failures.unexpected(e, "reading the runs of other servers"); // logged; the next read goes on
        }
    }

    /** One read of every followed run; {@code now} in nanoseconds. */
    void read(long now) {
        if (followed.isEmpty()) {
            return;
        }
        forgetClosedFollowers();
        Map<String, Long> cursors = new HashMap<>();
        followed.forEach((runId, run) -> cursors.put(runId, run.cursor()));
        Map<String, List<EncodedEvent>> read;
        try {
            read = log.afterEach(cursors, BATCH);
        } catch (RuntimeException e) {
            monitor.failed(e);
            followed.values().forEach(run -> end(run, new CandorException(ErrorCode.SERVICE_UNAVAILABLE, "Following "
                    + "run " + run.runId() + " stopped: the cache (Redis) could not be read. Resume it again once "
                    + "Candor is ready.", true, config.init().retryInterval().toMillis(), null)));
            return;
        }
        for (RemoteRun run : followed.values()) {
            List<EncodedEvent> events = read.get(run.runId());
            if (events != null) {
                deliver(run, run.advance(events, now));
            }
        }
        checkStatuses(now);
    }

    private void deliver(RemoteRun run, RemoteRun.Step step) {
        step.events().forEach(bridge::publish);
        String runId = run.runId();
        switch (step.outcome()) {
            case FOLLOWING -> {
            }
            case ENDED -> end(run, null);
            case GAP -> end(run, ResumeService.eventsLost(runId));
            case SILENT -> end(run, new CandorException(ErrorCode.RUN_EVENTS_LOST, "Run " + runId + " sent no event "
                    + "for " + config.llm().requestTimeout().toSeconds() + " s, so Candor stopped following it. "
                    + "Resume it again later; the stored answer, if any, is in the thread history.", true));
            case END_MISSING -> end(run, new CandorException(ErrorCode.RUN_EVENTS_LOST, "Run " + runId + " has "
                    + "ended, but its last events never reached its stream, so it cannot be shown in full. The stored "
                    + "answer, if any, is in the thread history.", false));
        }
    }

    /** Reads the database status of silent runs off this thread ({@link RemoteRunStatuses}). */
    private void checkStatuses(long now) {
        if (statuses == null) {
            statuses = new RemoteRunStatuses(scheduler, runs, monitor);
        }
        statuses.check(now, followed, STATUS_EVERY);
    }

    /** Followers whose connection closed (or missed an event) no longer follow; a run left without any is dropped. */
    private void forgetClosedFollowers() {
        for (RemoteRun run : followed.values()) {
            for (String connectionId : List.copyOf(run.followers().keySet())) {
                if (!bridge.follows(run.runId(), connectionId) && run.followers().remove(connectionId) != null) {
                    release();
                }
            }
            followed.computeIfPresent(run.runId(), (id, current) -> current.followers().isEmpty() ? null : current);
        }
    }

    /** Ends the follow of every follower of {@code run}: with {@code failure} when there is one. */
    private void end(RemoteRun run, CandorException failure) {
        followed.remove(run.runId(), run);
        for (String connectionId : List.copyOf(run.followers().keySet())) {
            Consumer<CandorException> failed = run.followers().remove(connectionId);
            if (failed != null) {
                release();
                bridge.unfollow(run.runId(), connectionId);
                if (failure != null) {
                    failed.accept(failure);
                }
            }
        }
    }
}
