package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.agent.EncodedEvent;
import dev.candor.application.agent.RunEventLog;
import dev.candor.application.startup.StartupReport;
import dev.candor.application.startup.StartupService;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;

/**
 * The deployed server with {@code CANDOR_REDIS_URL=redis-sentinel://...}: a real master, replica and sentinel, started
 * by the test JVM (and stopped when it exits). Startup completes through the sentinel, and after SENTINEL FAILOVER the
 * server's own client writes to the promoted replica and readiness stays UP.
 */
@ExtendWith(ArquillianExtension.class)
class RedisSentinelIT {

    @Deployment
    static WebArchive deployment() {
        try {
            RedisTopology topology = new RedisTopology();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    topology.close();
                } catch (IOException e) {
                    // the temporary folder stays; the processes were stopped first
                }
            }));
            RedisProcess master = topology.start(Optional.empty(), List.of());
            RedisProcess replica = topology.replicaOf(master);
            RedisProcess sentinel = topology.sentinel(master);
            Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
            config.put("candor.redis.url", "redis-sentinel://127.0.0.1:" + sentinel.port() + "/"
                    + RedisTopology.MASTER_NAME);
            config.put("candor.redis.connect-wait-ms", "10000");
            config.put("candor.test.sentinel-port", Integer.toString(sentinel.port()));
            config.put("candor.test.replica-port", Integer.toString(replica.port()));
            return Deployments.candor(config).addClass(RedisTopology.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Inject
    StartupService startup;

    @Inject
    RedisClientProducer redis;

    @Inject
    RunEventLog events;

    @Inject
    @ConfigProperty(name = "candor.test.sentinel-port")
    int sentinelPort;

    @Inject
    @ConfigProperty(name = "candor.test.replica-port")
    int replicaPort;

    @Test
    void startsThroughTheSentinelAndFollowsAFailover() {
        StartupReport report = startup.ensureInitialized();
        assertTrue(report.complete(), report.toString());
        assertInstanceOf(RedisSentinelClient.class, redis.client());
        assertTrue(redis.target().orElseThrow().contains("via sentinels"), redis.target().orElseThrow());
        String before = UUID.randomUUID().toString();
        events.append(List.of(new EncodedEvent(before, 1, false, "before")));
        HostAndPort first = ((RedisSentinelClient) redis.client()).getCurrentMaster();
        try (Jedis master = new Jedis(first.getHost(), first.getPort(), 2000)) {
            assertEquals(1, master.waitReplicas(1, 2000), "the replica has the event before the failover");
        }

        RedisTopology.await(Duration.ofSeconds(20), () -> {
            try (Jedis sentinel = new Jedis("127.0.0.1", sentinelPort, 2000)) {
                return "OK".equals(sentinel.sentinelFailover(RedisTopology.MASTER_NAME));
            }
        }, "the sentinel to accept SENTINEL FAILOVER");
        RedisTopology.await(Duration.ofSeconds(20), () -> ((RedisSentinelClient) redis.client()).getCurrentMaster()
                .getPort() == replicaPort, "the server's client to switch to the promoted replica");
        String after = UUID.randomUUID().toString();
        RedisTopology.await(Duration.ofSeconds(10), () -> {
            events.append(List.of(new EncodedEvent(after, 1, true, "after"))); // a retried append adds nothing
            try (Jedis promoted = new Jedis("127.0.0.1", replicaPort, 2000)) {
                return promoted.xlen(CacheKeys.runEvents(after)) == 1;
            }
        }, "a write to land on the promoted replica");
        assertEquals(List.of("before"), events.after(before, 0).stream().map(EncodedEvent::frame).toList());
        String ready = Http.awaitHealth("ready", body -> body.startsWith("{\"status\":\"UP\""), Duration.ofSeconds(20));
        assertTrue(ready.startsWith("{\"status\":\"UP\""), ready);
    }
}
