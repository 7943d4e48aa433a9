package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.EncodedEvent;
import dev.candor.application.limit.UsageLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * Candor's Redis classes through {@code redis-sentinel://}: a real master, its replica and a sentinel. Runs' events,
 * connection leases and rate limits work on the master the sentinel names, and keep working after the sentinel fails
 * the master over to the replica (on request), and back again when that one is killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelTest {

    private static RedisTopology topology;
    private static RedisProcess master;
    private static RedisProcess replica;
    private static RedisProcess sentinel;
    private static CacheUnderTest cache;

    @BeforeAll
    static void start() throws Exception {
        topology = new RedisTopology();
        master = topology.start(Optional.empty(), List.of());
        replica = topology.replicaOf(master);
        sentinel = topology.sentinel(master);
        RedisTopology.await(Duration.ofSeconds(15), () -> {
            try (Jedis s = RedisTopology.jedis(sentinel)) {
                return s.sentinelReplicas(RedisTopology.MASTER_NAME).stream()
                        .anyMatch(r -> String.valueOf(replica.port()).equals(r.get("port"))
                                && "ok".equals(r.get("master-link-status")));
            }
        }, "the sentinel to know the replica");
        cache = new CacheUnderTest("redis-sentinel://127.0.0.1:" + sentinel.port() + "/" + RedisTopology.MASTER_NAME);
    }

    @AfterAll
    static void stop() throws Exception {
        RedisTopology.closeAll(cache, topology);
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
    @Order(1)
    void runEventsLeasesAndRatesWorkOnTheMasterTheSentinelNames() {
        assertInstanceOf(RedisSentinelClient.class, cache.producer.client());
        String run = UUID.randomUUID().toString();
        cache.events.append(List.of(new EncodedEvent(run, 1, false, "a"), new EncodedEvent(run, 2, false, "b"),
                new EncodedEvent(run, 3, true, "c")));
        assertEquals(List.of("a", "b", "c"), cache.events.after(run, 0).stream().map(EncodedEvent::frame).toList());
        assertEquals(List.of(2L, 3L), cache.events.afterEach(Map.of(run, 1L), 100).get(run).stream()
                .map(EncodedEvent::seq).toList());
        try (Jedis direct = RedisTopology.jedis(master)) {
            assertEquals(3, direct.xlen(CacheKeys.runEvents(run)), "the events are on the master");
        }

        UsageLimits.Slot slot = cache.limits.openConnection("ann", "10.0.0.1");
        CandorException refused = assertThrows(CandorException.class,
                () -> cache.limits.openConnection("bob", "10.0.0.1"));
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, refused.code());
        slot.release();
        cache.limits.openConnection("bob", "10.0.0.1").release();

        for (int i = 0; i < CacheUnderTest.MESSAGES; i++) {
            cache.limits.admitMessage("ann");
        }
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(CandorException.class,
                () -> cache.limits.admitMessage("ann")).code());
    }

    @Test
    @Order(2)
    void followsTheMasterThroughAFailover() throws Exception {
        String before = UUID.randomUUID().toString();
        cache.events.append(List.of(new EncodedEvent(before, 1, false, "kept")));
        try (Jedis direct = RedisTopology.jedis(master)) {
            assertEquals(1, direct.waitReplicas(1, 2000), "the replica has the event before the failover");
        }
        RedisTopology.await(Duration.ofSeconds(15), () -> {
            try (Jedis s = RedisTopology.jedis(sentinel)) {
                return "OK".equals(s.sentinelFailover(RedisTopology.MASTER_NAME));
            }
        }, "the sentinel to accept SENTINEL FAILOVER");
        RedisTopology.await(Duration.ofSeconds(15), () -> ((RedisSentinelClient) cache.producer.client())
                .getCurrentMaster().getPort() == replica.port(), "the client to switch to the promoted replica");

        String after = UUID.randomUUID().toString();
        RedisTopology.await(Duration.ofSeconds(10), () -> {
            cache.events.append(List.of(new EncodedEvent(after, 1, true, "new"))); // a retried append adds nothing
            try (Jedis promoted = RedisTopology.jedis(replica)) {
                return promoted.xlen(CacheKeys.runEvents(after)) == 1;
            }
        }, "a write to land on the promoted replica (one acknowledged by the old master in the switch is lost)");
        assertEquals(List.of("kept"), cache.events.after(before, 0).stream().map(EncodedEvent::frame).toList());

        cache.producer.connect(); // what CACHE does after a loss: a new client, asking the sentinels again
        assertEquals(replica.port(), ((RedisSentinelClient) cache.producer.client()).getCurrentMaster().getPort());
        UsageLimits.Slot run = cache.limits.claimRun("carol");
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(CandorException.class,
                () -> cache.limits.claimRun("carol")).code());
        run.release();
        cache.limits.claimRun("carol").release();
    }

    @Test
    @Order(3)
    void reachesTheOldMasterAgainWhenTheNewOneIsKilled() {
        RedisTopology.await(Duration.ofSeconds(15), () -> {
            try (Jedis old = RedisTopology.jedis(master)) {
                String info = old.info("replication");
                return info.contains("master_port:" + replica.port()) && info.contains("master_link_status:up");
            }
        }, "the old master to replicate the new one");
        String before = UUID.randomUUID().toString();
        cache.events.append(List.of(new EncodedEvent(before, 1, false, "kept")));
        try (Jedis promoted = RedisTopology.jedis(replica)) {
            assertEquals(1, promoted.waitReplicas(1, 2000), "the old master has the event before the kill");
        }
        ProcessHandle.of(replica.pid()).ifPresent(ProcessHandle::destroyForcibly);

        RedisTopology.await(Duration.ofSeconds(25), () -> ((RedisSentinelClient) cache.producer.client())
                .getCurrentMaster().getPort() == master.port(), "the sentinel to promote the old master again");
        String after = UUID.randomUUID().toString();
        RedisTopology.await(Duration.ofSeconds(10), () -> {
            cache.events.append(List.of(new EncodedEvent(after, 1, true, "new")));
            try (Jedis promoted = RedisTopology.jedis(master)) {
                return promoted.xlen(CacheKeys.runEvents(after)) == 1;
            }
        }, "a write to land on the promoted old master");
        assertEquals(List.of("kept"), cache.events.after(before, 0).stream().map(EncodedEvent::frame).toList());
        assertEquals(List.of("new"), cache.events.after(after, 0).stream().map(EncodedEvent::frame).toList());
    }
}
