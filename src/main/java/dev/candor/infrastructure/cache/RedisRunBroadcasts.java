package dev.candor.infrastructure.cache;

import dev.candor.application.CandorException;
import dev.candor.application.agent.ApprovalAnswered;
import dev.candor.application.agent.StopRequested;
import dev.candor.application.startup.DependencyMonitor;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * This node's one subscriber to the broadcasts about runs, {@code candor:stop} and {@code candor:approval}: one
 * connection of its own (outside the pool) on one managed thread. Each run id heard on the first becomes a
 * {@link StopRequested} event, each answer heard on the second an {@link ApprovalAnswered} event. When Redis is lost
 * it reports the failure to the {@link DependencyMonitor} and subscribes again, 250 ms doubling to 5 s apart; a
 * connection that stops answering its pings (every 5 s) is dropped and replaced. A stop or an answer published
 * meanwhile is not lost: nodes also check their runs' durable records. Stops on undeploy.
 */
@ApplicationScoped
public class RedisRunBroadcasts {

    private static final Logger LOG = Logger.getLogger(RedisRunBroadcasts.class.getName());
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long PING_MS = 5_000;

    @Inject
    RedisClientProducer redis;

    @Inject
    DependencyMonitor monitor;

    @Inject
    Event<StopRequested> stops;

    @Inject
    Event<ApprovalAnswered> approvals;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile boolean running;
    private volatile Thread thread;
    private volatile Jedis connection;
    private volatile Listener listener;
    private ScheduledFuture<?> pings;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        running = true;
        Thread listening = threads.newThread(this::listen);
        listening.setName("candor-run-broadcasts");
        thread = listening;
        listening.start();
        pings = scheduler.scheduleWithFixedDelay(this::checkAlive, PING_MS, PING_MS, TimeUnit.MILLISECONDS);
    }

    /** True while subscribed (for health and tests). */
    public boolean isSubscribed() {
        Listener current = listener;
        return current != null && current.isSubscribed();
    }

    private void listen() {
        long backoffMs = FIRST_BACKOFF_MS;
        boolean warned = false;
        while (running) {
            Listener heard = new Listener();
            try (Jedis jedis = redis.dedicatedConnection()) {
                connection = jedis;
                listener = heard;
                if (running) {
                    // returns when unsubscribed; throws when the connection is lost
                    jedis.subscribe(heard, CacheKeys.stopChannel(), CacheKeys.approvalChannel());
                }
            } catch (CandorException notConnected) {
                LOG.fine(() -> "not subscribed to the run broadcasts yet: " + notConnected.getMessage());
            } catch (RuntimeException e) {
                if (running) {
                    monitor.failed(e);
                    if (!warned) { // once until it is subscribed again
                        LOG.log(Level.WARNING, "not subscribed to the run broadcasts (" + e.getMessage() + "); trying "
                                + "again, stops and approvals still reach runs through their durable records");
                        warned = true;
                    }
                }
            } finally {
                connection = null;
                listener = null;
            }
            if (heard.subscribedOnce) {
                backoffMs = FIRST_BACKOFF_MS;
                warned = false;
            }
            if (running && !pause(backoffMs)) {
                return;
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** Pings the subscription; drops a connection that has not answered for three pings, so it is replaced. */
    private void checkAlive() {
        Listener current = listener;
        Jedis jedis = connection;
        if (current == null || jedis == null || !current.isSubscribed()) {
            return;
        }
        try {
            if (System.nanoTime() - current.lastHeard > TimeUnit.MILLISECONDS.toNanos(3 * PING_MS)) {
                LOG.warning("the subscription to the run broadcasts stopped answering; reconnecting");
                jedis.disconnect();
            } else {
                current.ping();
            }
        } catch (RuntimeException e) {
            jedis.disconnect(); // the listening thread sees the failure and subscribes again
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        if (pings != null) {
            pings.cancel(false);
        }
        Listener current = listener;
        Jedis jedis = connection;
        try {
            if (current != null && current.isSubscribed()) {
                current.unsubscribe();
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "unsubscribing on undeploy: " + e);
        } finally {
            if (jedis != null) {
                jedis.disconnect();
            }
        }
        Thread listening = thread;
        if (listening != null) {
            listening.interrupt();
            try {
                listening.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Listener extends JedisPubSub {

        private volatile long lastHeard = System.nanoTime();
        private volatile boolean subscribedOnce;

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribedOnce = true;
            lastHeard = System.nanoTime();
            LOG.fine(() -> "subscribed to " + channel);
        }

        @Override
        public void onPong(String pattern) {
            lastHeard = System.nanoTime();
        }

        @Override
        public void onMessage(String channel, String message) {
            lastHeard = System.nanoTime();
            try {
                if (CacheKeys.approvalChannel().equals(channel)) {
                    RedisRunApprovals.decode(message).ifPresent(approvals::fire);
                } else {
                    stops.fire(new StopRequested(message));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not act on a broadcast on " + channel, e);
            }
        }
    }
}
