package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Redis settings ({@code candor.redis.*}). The URL may carry a password, so it is never logged whole.
 *
 * @param url                {@code candor.redis.url} / {@code CANDOR_REDIS_URL}: redis://, rediss://, redis-sentinel://
 *                           or redis-cluster:// (see README)
 * @param sentinelMaster     {@code candor.redis.sentinel.master}: the master Sentinel monitors, with no URL
 * @param sentinels          {@code candor.redis.sentinels}: {@code host:port,...} of the sentinels, with no URL
 * @param password           {@code candor.redis.password}: password of the data nodes when the URL carries none
 * @param sentinelPassword   {@code candor.redis.sentinel.password}: password of the sentinels themselves, if they need one
 * @param embedded           {@code candor.redis.embedded}: with no URL, start a local redis-server (never in production)
 * @param embeddedExecutable {@code candor.redis.embedded-executable}: redis-server binary to start; empty means search
 * @param timeout            {@code candor.redis.timeout-ms}: connect and socket bound of every Redis call
 * @param connectWait        {@code candor.redis.connect-wait-ms}: how long the CACHE phase keeps trying to reach Redis
 *                           before it fails (0 = one try); for Redis starting at the same time as Candor
 * @param maxConnections     {@code candor.redis.max-connections}: pooled connections (per Redis node on Cluster)
 * @param maxWait            {@code candor.redis.max-wait-ms}: how long a call waits for a pooled connection when all are
 *                           in use before it fails
 */
public record RedisConfig(Optional<String> url, Optional<String> sentinelMaster, Optional<String> sentinels,
                          Optional<Secret> password, Optional<Secret> sentinelPassword, boolean embedded,
                          Optional<String> embeddedExecutable, Duration timeout, Duration connectWait,
                          int maxConnections, Duration maxWait) {

    /** True when Redis is named (a URL or sentinels); else development may start a local redis-server. */
    public boolean configured() {
        return url.isPresent() || sentinels.isPresent() || sentinelMaster.isPresent();
    }
}
