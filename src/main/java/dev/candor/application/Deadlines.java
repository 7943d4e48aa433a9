package dev.candor.application;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One timer for every time bound of the runs (first token, idle stream, tool calls): each watched object is checked
 * every {@value #TICK_MS} ms and dropped as soon as it says it is done. Nothing is scheduled per run, so a run that
 * ends leaves no pending timer behind, and the sweep itself stops while nothing is watched.
 */
@ApplicationScoped
public class Deadlines {

    static final long TICK_MS = 100;

    private static final Logger LOG = Logger.getLogger(Deadlines.class.getName());

    /** Something with a time bound. */
    @FunctionalInterface
    public interface Watched {

        /** Acts if its bound has passed at {@code nowNanos}; true when it no longer needs watching. */
        boolean check(long nowNanos);
    }

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ScheduledExecutorService scheduler;

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeper;

    /** Deadlines on a scheduler of the caller's, outside the container (the container injects its own). */
    public static Deadlines on(ScheduledExecutorService scheduler) {
        Deadlines deadlines = new Deadlines();
        deadlines.scheduler = scheduler;
        return deadlines;
    }

    public void watch(Watched bound) {
        synchronized (this) {
            watched.add(bound);
            if (sweeper == null) {
                sweeper = scheduler.scheduleWithFixedDelay(this::sweep, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops watching at once (the next tick would drop it anyway once it says it is done). */
    public void forget(Watched bound) {
        watched.remove(bound);
    }

    public int size() {
        return watched.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watched bound : watched) {
            try {
                if (bound.check(now)) {
                    watched.remove(bound);
                }
            } catch (RuntimeException e) {
                watched.remove(bound);
                LOG.log(Level.WARNING, "a time bound failed to act and is no longer watched: " + e, e);
            }
        }
        synchronized (this) {
            if (watched.isEmpty() && sweeper != null) {
                sweeper.cancel(false); // started again by the next watch
                sweeper = null;
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }
}
