package dev.candor.infrastructure.cache;

import dev.candor.application.agent.RunStops;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Stop requests in Redis: the flag {@code candor:run:{<id>}:stop}, kept three leases (candor.runs.lease-ms), and the
 * run id published on {@code candor:stop}, which {@link RedisRunBroadcasts} hears on every node.
 */
@ApplicationScoped
public class RedisRunStops implements RunStops {

    private static final int LEASES_KEPT = 3;

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    @Override
    public void request(String runId) {
        long ttlMs = config.agent().lease().toMillis() * LEASES_KEPT;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.set(CacheKeys.runStop(runId), "1", new SetParams().px(ttlMs));
            pipeline.publish(CacheKeys.stopChannel(), runId);
            pipeline.sync();
        }
    }

    @Override
    public Set<String> requested(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Response<Boolean>> flags = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            runIds.forEach(runId -> flags.put(runId, pipeline.exists(CacheKeys.runStop(runId))));
            pipeline.sync();
        }
        return flags.entrySet().stream().filter(flag -> Boolean.TRUE.equals(flag.getValue().get()))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }
}
