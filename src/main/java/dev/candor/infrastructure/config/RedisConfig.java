package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Redis settings ({@code candor.redis.*}). The URL may carry a password, so it is never logged whole.
 *
 * @param url                {@code candor.redis.url} / {@code CANDOR_REDIS_URL}: redis:// or rediss:// with password and db index
 * @param embedded           {@code candor.redis.embedded}: with no URL, start a local redis-server (never in production)
 * @param embeddedExecutable {@code candor.redis.embedded-executable}: redis-server binary to start; empty means search
 * @param timeout            {@code candor.redis.timeout-ms}: connect and socket bound of every Redis call
 * @param connectWait        {@code candor.redis.connect-wait-ms}: how long the CACHE phase keeps trying to reach Redis
 *                           before it fails (0 = one try); for Redis starting at the same time as Candor
 */
public record RedisConfig(Optional<String> url, boolean embedded, Optional<String> embeddedExecutable, Duration timeout,
                          Duration connectWait) {
}
