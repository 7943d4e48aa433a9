package dev.candor.infrastructure.cache;

import dev.candor.application.metrics.LimitMetrics;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.Environment;
import dev.candor.infrastructure.config.LimitsConfig;
import dev.candor.infrastructure.config.RedisConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The production cache classes wired by hand, as CDI wires them on the server, against a Redis named by a URL: the
 * client producer, the run event log, the usage limits, stops and approvals. Limits are small so tests can reach them.
 */
final class CacheUnderTest implements AutoCloseable {

    static final int CONNECTIONS_PER_USER = 2;
    static final int CONNECTIONS_PER_IP = 1;
    static final int MESSAGES = 2;
    static final int MAX_CONNECTIONS = 8;
    static final Duration MAX_WAIT = Duration.ofMillis(500);

    final RedisClientProducer producer = new RedisClientProducer();
    final RedisRunEventLog events = new RedisRunEventLog();
    final RedisLimits limits = new RedisLimits();
    /** Where the limits count what they refused ({@code candor.limits.hit}). */
    final SimpleMeterRegistry limitsHit = new SimpleMeterRegistry();
    final RedisRunStops stops = new RedisRunStops();
    final RedisRunApprovals approvals = new RedisRunApprovals();
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);

    CacheUnderTest(String url) throws IOException {
        RedisConfig redis = new RedisConfig(Optional.of(url), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5), MAX_CONNECTIONS,
                MAX_WAIT);
        CandorConfig config = new CandorConfig() {
            @Override
            public Environment environment() {
                return Environment.TEST;
            }

            @Override
            public RedisConfig redis() {
                return redis;
            }

            @Override
            public AgentConfig agent() {
                return new AgentConfig("candor", "", 20, 24000, 5, Duration.ofSeconds(10), 2, 5000,
                        Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(30), 2000);
            }

            @Override
            public LimitsConfig limits() {
                return new LimitsConfig(MESSAGES, Duration.ofMinutes(1), 1, CONNECTIONS_PER_USER, CONNECTIONS_PER_IP, 5,
                        Duration.ofMinutes(1), 1000, 8192, Duration.ofSeconds(3));
            }
        };
        producer.config = config;
        producer.executor = threads;
        events.redis = producer;
        events.config = config;
        limits.redis = producer;
        stops.redis = producer;
        stops.config = config;
        approvals.redis = producer;
        approvals.config = config;
        limits.config = config;
        limits.metrics = new LimitMetrics(limitsHit);
        limits.scheduler = managed(threads);
        producer.connect();
    }

    /** The scheduled executor as the server's managed one: its ExecutorService methods, nothing else. */
    private static ManagedScheduledExecutorService managed(ScheduledExecutorService delegate) {
        return (ManagedScheduledExecutorService) Proxy.newProxyInstance(CacheUnderTest.class.getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                    if (!method.getDeclaringClass().isAssignableFrom(ScheduledExecutorService.class)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() {
        limits.stop();
        producer.close();
        threads.shutdownNow();
    }
}
