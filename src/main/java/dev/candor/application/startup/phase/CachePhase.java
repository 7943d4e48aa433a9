package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.infrastructure.cache.RedisClientProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** CACHE: connects to Redis (or, in development with none configured, starts a local redis-server) and PINGs it. */
@ApplicationScoped
public class CachePhase implements StartupPhase {

    @Inject
    RedisClientProducer redis;

    @Override
    public Phase phase() {
        return Phase.CACHE;
    }

    @Override
    public void run() throws Exception {
        redis.connect();
    }
}
