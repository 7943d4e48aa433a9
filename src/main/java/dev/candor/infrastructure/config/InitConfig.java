package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.List;

/**
 * How a connecting client waits for initialization ({@code candor.init.*}).
 *
 * @param bounds        {@code candor.init.timeouts-ms}: how long a client waits, growing with consecutive failures;
 *                      default by environment: test 5/10/15 s, development 10/20/30 s, production 20/40/60 s
 * @param retryInterval {@code candor.init.retry-interval-ms}: pause between on-demand attempts while clients wait;
 *                      also the retry_after_ms clients are given
 */
public record InitConfig(List<Duration> bounds, Duration retryInterval) {

    static List<Long> defaultBoundsMs(Environment environment) {
        return switch (environment) {
            case TEST -> List.of(5_000L, 10_000L, 15_000L);
            case DEVELOPMENT -> List.of(10_000L, 20_000L, 30_000L);
            case PRODUCTION -> List.of(20_000L, 40_000L, 60_000L);
        };
    }
}
