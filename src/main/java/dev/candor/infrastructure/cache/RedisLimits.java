package dev.candor.infrastructure.cache;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.metrics.LimitMetrics;
import dev.candor.application.metrics.LimitMetrics.Limit;
import dev.candor.application.limit.LimitWindows;
import dev.candor.application.limit.UsageLimits;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.LimitsConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@link UsageLimits} of every node, kept in Redis under {@code candor:limit:}. Rates (messages per user, resumes
 * per connection) are Bucket4j buckets; counted places (runs, connections) are {@link LeaseSets}; the token budget is
 * one counter per user and UTC day. Bucket4j's proxy manager is rebuilt whenever CACHE replaced the Redis client. A
 * limit hit is logged at FINE only.
 */
@ApplicationScoped
public class RedisLimits implements UsageLimits {

    private static final Logger LOG = Logger.getLogger(RedisLimits.class.getName());
    private static final Duration BUCKET_KEEP = Duration.ofSeconds(10);

    @Inject
    LimitMetrics metrics;

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final LeaseSets leases = new LeaseSets();
    private volatile Buckets buckets;
    private ScheduledFuture<?> renewal;

    /** The proxy manager of one Redis client. */
    private record Buckets(UnifiedJedis client, ProxyManager<byte[]> manager) {
    }

    @Override
    public void admitMessage(String userId) {
        LimitsConfig limits = config.limits();
        Instant now = Instant.now();
        String used = redis.require().get(tokensKey(userId, now));
        if (used != null && Long.parseLong(used) >= limits.dailyTokens()) {
            long wait = LimitWindows.untilNextUtcDay(now);
            LOG.fine(() -> "user " + userId + ": token budget of the day used up");
            metrics.hit(Limit.DAILY_TOKENS);
            throw new CandorException(ErrorCode.RATE_LIMITED, "You have used your " + limits.dailyTokens()
                    + " tokens for today (UTC); this message was not kept. Send it again after the day rolls over.",
                    true, wait, null);
        }
        long wait = consume(CacheKeys.limit("messages", limits.messages() + "-per-"
                + limits.messagesWindow().toMillis(), userId), limits.messages(), limits.messagesWindow());
        if (wait > 0) {
            LOG.fine(() -> "user " + userId + ": message rate reached");
            metrics.hit(Limit.MESSAGES);
            throw new CandorException(ErrorCode.RATE_LIMITED, "You may send " + limits.messages() + " messages every "
                    + limits.messagesWindow().toMillis() + " ms; this message was not kept. Send it again in "
                    + wait + " ms.", true, wait, null);
        }
    }

    @Override
    public Slot claimRun(String userId) {
        LimitsConfig limits = config.limits();
        String holder = "run-" + UUID.randomUUID();
        if (leases.claim(redis.require(), List.of(CacheKeys.limit("runs", userId)), List.of(limits.concurrentRuns()),
                holder, limits.lease().toMillis()) != 0) {
            LOG.fine(() -> "user " + userId + ": concurrent runs reached");
            metrics.hit(Limit.CONCURRENT_RUNS);
            throw new CandorException(ErrorCode.RATE_LIMITED, "You already have " + limits.concurrentRuns()
                    + " answers in progress; this message was not kept. Send it again once one of them has ended.",
                    true, retryHint(), null);
        }
        renewing();
        return () -> release(holder);
    }

    @Override
    public void tokensUsed(String userId, long tokens) {
        if (tokens <= 0) {
            return;
        }
        try {
            UnifiedJedis client = redis.require();
            String key = tokensKey(userId, Instant.now());
            client.incrBy(key, tokens);
            client.expire(key, Duration.ofDays(2).toSeconds());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not count " + tokens + " tokens of user " + userId + ": " + e);
        }
    }

    @Override
    public void admitResume(String connectionId) {
        LimitsConfig limits = config.limits();
        long wait = consume(CacheKeys.limit("resumes", limits.resumes() + "-per-" + limits.resumesWindow().toMillis(),
                connectionId), limits.resumes(), limits.resumesWindow());
        if (wait > 0) {
            LOG.fine(() -> "connection " + connectionId + ": resume rate reached");
            metrics.hit(Limit.RESUMES);
            throw new CandorException(ErrorCode.RATE_LIMITED, "A connection may resume " + limits.resumes()
                    + " times every " + limits.resumesWindow().toMillis() + " ms; resume again in " + wait + " ms.",
                    true, wait, null);
        }
    }

    @Override
    public Slot openConnection(String userId, String clientAddress) {
        LimitsConfig limits = config.limits();
        if (!redis.isConnected()) {
            return Slot.NONE; // before CACHE is ready connections are not counted (they wait for ready anyway)
        }
        String holder = "connection-" + UUID.randomUUID();
        List<String> keys = clientAddress == null ? List.of(CacheKeys.limit("connections", "user", userId))
                : List.of(CacheKeys.limit("connections", "user", userId),
                        CacheKeys.limit("connections", "address", clientAddress));
        List<Integer> max = List.of(limits.connectionsPerUser(), limits.connectionsPerIp());
        int full;
        try {
            full = leases.claim(redis.require(), keys, max.subList(0, keys.size()), holder, limits.lease().toMillis());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "connection limits not checked, Redis failed", e);
            return Slot.NONE;
        }
        if (full != 0) {
            LOG.fine(() -> "connection refused: " + (full == 1 ? "user " + userId : "address " + clientAddress)
                    + " holds as many connections as allowed");
            metrics.hit(full == 1 ? Limit.CONNECTIONS_PER_USER : Limit.CONNECTIONS_PER_ADDRESS);
            throw new CandorException(ErrorCode.TOO_MANY_CONNECTIONS, full == 1 ? "You already hold "
                    + limits.connectionsPerUser() + " open connections; close one and reconnect."
                    : "Your network address already holds " + limits.connectionsPerIp() + " open connections; close "
                    + "one and reconnect.", true, retryHint(), null);
        }
        renewing();
        return () -> release(holder);
    }

    @Override
    public int runOutputTokens() {
        return config.limits().runOutputTokens();
    }

    /** Takes one token from the bucket; 0 when taken, else the milliseconds until one is back. */
    private long consume(String key, int capacity, Duration window) {
        BucketConfiguration bucket = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(capacity)
                .refillIntervally(capacity, window).build()).build();
        ConsumptionProbe probe = manager().builder().build(key.getBytes(StandardCharsets.UTF_8), () -> bucket)
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill()
                + 999_999));
    }

    /** The proxy manager of the current Redis client: CACHE replaces the client after a loss. */
    private ProxyManager<byte[]> manager() {
        UnifiedJedis client = redis.require();
        Buckets current = buckets;
        if (current == null || current.client() != client) {
            current = new Buckets(client, Bucket4jJedis.casBasedBuilder(client).expirationAfterWrite(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(BUCKET_KEEP)).build());
            buckets = current;
        }
        return current.manager();
    }

    private static String tokensKey(String userId, Instant now) {
        return CacheKeys.limit("tokens", userId, LimitWindows.utcDay(now));
    }

    /** How long a refused client should wait for a run or connection place: the lease renewal interval. */
    private long retryHint() {
        return Math.max(1, config.limits().lease().toMillis() / 3);
    }

    private void release(String holder) {
        try {
            leases.release(redis::require, holder);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not release " + holder + "; its lease runs out", e);
        }
    }

    /** Starts renewing this node's leases every third of a lease, once. */
    private synchronized void renewing() {
        if (renewal == null) {
            long every = Math.max(1, config.limits().lease().toMillis() / 3);
            renewal = scheduler.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void renew() {
        try {
            if (redis.isConnected()) {
                leases.renew(redis::pipelined, config.limits().lease().toMillis());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not renew the limit leases; trying again", e);
        }
    }

    @PreDestroy
    void stop() {
        synchronized (this) {
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
        leases.holders().forEach(this::release);
    }
}
