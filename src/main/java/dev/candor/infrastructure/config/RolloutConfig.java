package dev.candor.infrastructure.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the rollout switches change at runtime ({@code candor.rollout.*} sources, not the switches themselves).
 *
 * @param file       {@code candor.rollout.file}: the watched properties file (default: rollout.properties in the
 *                   data directory)
 * @param filePoll   {@code candor.rollout.file-poll-ms}: how often the file is read again
 * @param redisKey   {@code candor.rollout.redis-key}: the Redis hash shared by every node
 * @param redisPoll  {@code candor.rollout.redis-poll-ms}: how often the hash is read again, once Redis is connected
 */
public record RolloutConfig(Path file, Duration filePoll, String redisKey, Duration redisPoll) {
}
