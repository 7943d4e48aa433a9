package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.EncodedEvent;
import dev.candor.application.limit.UsageLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Candor's Redis classes through {@code redis-cluster://} on three real cluster masters. A run's keys share a slot;
 * every other operation touches one key at a time, so nothing meets CROSSSLOT, and the connection limits, which count
 * one place in a user's set and one in an address's set (different slots), still never let a set exceed its limit.
 */
class RedisClusterTest {

    private static RedisTopology topology;
    private static CacheUnderTest cache;

    @BeforeAll
    static void start() throws Exception {
        topology = new RedisTopology();
        List<RedisProcess> nodes = topology.cluster();
        cache = new CacheUnderTest("redis-cluster://127.0.0.1:" + nodes.get(0).port() + ",127.0.0.1:"
                + nodes.get(1).port());
    }

    @AfterAll
    static void stop() throws Exception {
        RedisTopology.closeAll(cache, topology);
    }

    @Test
    void eventsOfRunsOnEveryNodeAreAppendedInOneBatchAndRead() {
        assertInstanceOf(RedisClusterClient.class, cache.producer.client());
        List<String> runs = IntStream.range(0, 40).mapToObj(i -> "run-" + i).toList();
        Set<Integer> nodes = runs.stream().map(run -> JedisClusterCRC16.getSlot(CacheKeys.runEvents(run)))
                .map(slot -> slot < 5461 ? 0 : slot < 10923 ? 1 : 2).collect(Collectors.toSet());
        assertEquals(3, nodes.size(), "the runs' streams are spread over all three masters");
        List<EncodedEvent> batch = new ArrayList<>();
        for (String run : runs) {
            batch.add(new EncodedEvent(run, 1, false, run + "/1"));
            batch.add(new EncodedEvent(run, 2, true, run + "/2"));
        }
        cache.events.append(batch);
        for (String run : runs) {
            assertEquals(List.of(run + "/1", run + "/2"), cache.events.after(run, 0).stream()
                    .map(EncodedEvent::frame).toList());
            assertEquals(List.of(2L), cache.events.afterEach(Map.of(run, 1L), 100).get(run).stream()
                    .map(EncodedEvent::seq).toList());
        }
    }

    @Test
    void connectionLimitsOverTwoSlotsNeverExceedAndGiveBackWhatTheyTook() {
        String address = "10.1.0.1";
        String userKey = CacheKeys.limit("connections", "user", "dora");
        String addressKey = CacheKeys.limit("connections", "address", address);
        assertNotEquals(JedisClusterCRC16.getSlot(userKey), JedisClusterCRC16.getSlot(addressKey));
        assertThrows(JedisException.class, () -> cache.producer.client().eval("return 1",
                List.of(userKey, addressKey), List.of()), "one script over both sets would be refused (CROSSSLOT)");

        double countedBefore = addressLimitHits();
        UsageLimits.Slot held = cache.limits.openConnection("dora", address);
        CandorException refused = assertThrows(CandorException.class,
                () -> cache.limits.openConnection("emil", address));
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, refused.code());
        assertEquals(countedBefore + 1, addressLimitHits(), "the refusal was not counted as the address's limit");
        assertEquals(0, cache.producer.client().zcard(CacheKeys.limit("connections", "user", "emil")),
                "the place taken in emil's own set was given back when the address was full");
        held.release();
        assertEquals(0, cache.producer.client().zcard(addressKey));
        cache.limits.openConnection("emil", address).release();

        List<UsageLimits.Slot> slots = new ArrayList<>();
        for (int i = 0; i < CacheUnderTest.CONNECTIONS_PER_USER; i++) {
            slots.add(cache.limits.openConnection("fay", "10.2.0." + i));
        }
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, assertThrows(CandorException.class,
                () -> cache.limits.openConnection("fay", "10.2.0.99")).code());
        assertEquals(0, cache.producer.client().zcard(CacheKeys.limit("connections", "address", "10.2.0.99")),
                "the full user set is checked first: the address set was never touched");
        slots.forEach(UsageLimits.Slot::release);
    }

    @Test
    void stopRequestsAreFlaggedInEverySlotAndHeardOnTheChannel() throws Exception {
        StopRequests.flagsAndChannelWork(cache);
    }

    @Test
    void approvalsAreHandedOverOnlyWhileAwaitedAndHeardOnTheChannel() throws Exception {
        ApprovalHandOver.handsOverOnlyAwaitedCallsOnce(cache);
    }

    @Test
    void followReadsAndStopFlagChecksOverSeveralNodesRunOnTheServersExecutorNotOnThreadsJedisStarts() {
        ExecutorService managed = cache.producer.executor;
        AtomicInteger tasks = new AtomicInteger();
        cache.producer.executor = new AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                tasks.incrementAndGet();
                managed.execute(command);
            }

            @Override
            public void shutdown() {
                throw new UnsupportedOperationException("the server's executor is never shut down by the application");
            }

            @Override
            public List<Runnable> shutdownNow() {
                throw new UnsupportedOperationException("the server's executor is never shut down by the application");
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public boolean isTerminated() {
                return false;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return false;
            }
        };
        try {
            List<String> runs = IntStream.range(0, 40).mapToObj(i -> "followed-" + i).toList();
            cache.events.afterEach(runs.stream().collect(Collectors.toMap(run -> run, run -> 0L)), 10);
            assertTrue(tasks.get() > 0, "the shared reader's pipeline over three masters ran on threads of Jedis's own");
            tasks.set(0);
            cache.stops.requested(runs);
            assertTrue(tasks.get() > 0, "the stop flag check over three masters ran on threads of Jedis's own");
        } finally {
            cache.producer.executor = managed;
        }
    }

    @Test
    void leasesOnEveryNodeAreRenewed() {
        List<UsageLimits.Slot> slots = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slots.add(cache.limits.openConnection("gus" + i, "10.3.0." + i));
            keys.add(CacheKeys.limit("connections", "user", "gus" + i));
        }
        List<Double> first = keys.stream().map(k -> cache.producer.client().zrangeWithScores(k, 0, 0).get(0)
                .getScore()).toList();
        RedisTopology.await(Duration.ofSeconds(5), () -> IntStream.range(0, keys.size()).allMatch(i -> cache.producer
                .client().zrangeWithScores(keys.get(i), 0, 0).get(0).getScore() > first.get(i)),
                "every lease to be pushed further by the renewal");
        slots.forEach(UsageLimits.Slot::release);
    }

    @Test
    void ratesRunsAndTokensWorkAndAReconnectKeepsThem() throws Exception {
        for (int i = 0; i < CacheUnderTest.MESSAGES; i++) {
            cache.limits.admitMessage("hal");
        }
        CandorException limited = assertThrows(CandorException.class, () -> cache.limits.admitMessage("hal"));
        assertEquals(ErrorCode.RATE_LIMITED, limited.code());
        assertNotNull(limited.retryAfterMs());
        cache.limits.admitResume("connection-1");
        cache.limits.tokensUsed("ivy", 2000);
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(CandorException.class,
                () -> cache.limits.admitMessage("ivy")).code(), "the day's 1000 tokens are used up");

        cache.producer.connect(); // what CACHE does after a loss: a new client that reads the slots again
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(CandorException.class,
                () -> cache.limits.admitMessage("hal")).code(), "the bucket lives in Redis, not in the client");
        UsageLimits.Slot run = cache.limits.claimRun("jo");
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(CandorException.class,
                () -> cache.limits.claimRun("jo")).code());
        run.release();
        cache.limits.claimRun("jo").release();
        assertTrue(cache.producer.target().orElseThrow().startsWith("cluster via "));
    }

    private static double addressLimitHits() {
        var counter = cache.limitsHit.find("candor.limits.hit").tag("limit", "connections_per_address").counter();
        return counter == null ? 0 : counter.count();
    }
}
