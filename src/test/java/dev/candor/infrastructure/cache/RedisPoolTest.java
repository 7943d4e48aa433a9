package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/** The pool is sized by candor.redis.max-connections, and a call that finds it used up fails after max-wait-ms. */
class RedisPoolTest {

    private static RedisTopology topology;
    private static CacheUnderTest cache;

    @BeforeAll
    static void start() throws Exception {
        topology = new RedisTopology();
        cache = new CacheUnderTest(topology.start(Optional.empty(), List.of()).url());
    }

    @AfterAll
    static void stop() throws Exception {
        RedisTopology.closeAll(cache, topology);
    }

    @Test
    void aCallFindingEveryConnectionInUseFailsAfterTheMaxWaitAsServiceUnavailable() throws Exception {
        assertEquals(CacheUnderTest.MAX_CONNECTIONS, ((RedisClient) cache.producer.client()).getPool().getMaxTotal());
        ExecutorService followers = Executors.newFixedThreadPool(CacheUnderTest.MAX_CONNECTIONS);
        try {
            List<CompletableFuture<?>> waits = new ArrayList<>();
            for (int i = 0; i < CacheUnderTest.MAX_CONNECTIONS; i++) {
                waits.add(CompletableFuture.runAsync(() -> cache.events.await("idle-run", 0, Duration.ofSeconds(3)),
                        followers));
            }
            RedisTopology.await(Duration.ofSeconds(2), () -> ((RedisClient) cache.producer.client()).getPool()
                    .getNumActive() == CacheUnderTest.MAX_CONNECTIONS, "every connection to be held by a follower");
            long start = System.nanoTime();
            JedisException failure = assertThrows(JedisException.class, () -> cache.events.after("other-run", 0));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= CacheUnderTest.MAX_WAIT.toMillis() - 50 && waitedMs < 2000, waitedMs + " ms");
            assertTrue(DependencyMonitor.redisPoolExhausted(failure), failure.toString());
            assertEquals(ErrorCode.SERVICE_UNAVAILABLE, Failures.report(failure, "test").code());
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), cache.events.after("other-run", 0), "once they are back, calls get one again");
        } finally {
            followers.shutdownNow();
        }
    }
}
