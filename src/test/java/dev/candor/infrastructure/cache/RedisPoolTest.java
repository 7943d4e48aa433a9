package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

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
        Pool<Connection> pool = ((RedisClient) cache.producer.client()).getPool();
        assertEquals(CacheUnderTest.MAX_CONNECTIONS, pool.getMaxTotal());
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < CacheUnderTest.MAX_CONNECTIONS; i++) {
                held.add(pool.getResource()); // as many callers, each in the middle of a command
            }
            long start = System.nanoTime();
            JedisException failure = assertThrows(JedisException.class, () -> cache.events.after("other-run", 0));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= CacheUnderTest.MAX_WAIT.toMillis() - 50 && waitedMs < 2000, waitedMs + " ms");
            assertTrue(DependencyMonitor.redisPoolExhausted(failure), failure.toString());
            assertEquals(ErrorCode.SERVICE_UNAVAILABLE, Failures.report(failure, "test").code());
        } finally {
            held.forEach(Connection::close);
        }
        assertEquals(List.of(), cache.events.after("other-run", 0), "once they are back, calls get one again");
    }
}
