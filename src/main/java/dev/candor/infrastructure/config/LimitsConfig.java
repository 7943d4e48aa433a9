package dev.candor.infrastructure.config;

import java.time.Duration;

/**
 * Per-user and per-connection limits ({@code candor.limits.*}), enforced cluster-wide in Redis.
 *
 * @param messages           {@code candor.limits.messages}: user_messages per user per {@code messagesWindow}
 * @param messagesWindow     {@code candor.limits.messages-window-ms}
 * @param concurrentRuns     {@code candor.limits.concurrent-runs}: runs in progress per user
 * @param connectionsPerUser {@code candor.limits.connections-per-user}: open connections per user
 * @param connectionsPerIp   {@code candor.limits.connections-per-ip}: open connections per client address
 * @param resumes            {@code candor.limits.resumes}: resume requests per connection per {@code resumesWindow}
 * @param resumesWindow      {@code candor.limits.resumes-window-ms}
 * @param dailyTokens        {@code candor.limits.daily-tokens}: input + output tokens of a user's runs per UTC day
 * @param runOutputTokens    {@code candor.limits.run-output-tokens}: output tokens of one run, all model turns
 * @param lease              {@code candor.runs.lease-ms}: how long a run or connection slot outlives its node
 */
public record LimitsConfig(int messages, Duration messagesWindow, int concurrentRuns, int connectionsPerUser,
                           int connectionsPerIp, int resumes, Duration resumesWindow, long dailyTokens,
                           int runOutputTokens, Duration lease) {
}
