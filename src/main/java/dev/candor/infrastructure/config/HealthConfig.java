package dev.candor.infrastructure.config;

import java.time.Duration;

/**
 * Health probing ({@code candor.health.*}).
 *
 * @param refreshInterval {@code candor.health.refresh-interval-ms}: how often readiness re-probes the dependencies
 * @param probeTimeout    {@code candor.health.probe-timeout-ms}: bound of each dependency probe
 */
public record HealthConfig(Duration refreshInterval, Duration probeTimeout) {
}
