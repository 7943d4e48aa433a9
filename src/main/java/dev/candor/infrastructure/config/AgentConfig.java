package dev.candor.infrastructure.config;

import java.time.Duration;

/**
 * The agent and its runs ({@code candor.agent.*}, {@code candor.runs.*}).
 *
 * @param name           {@code candor.agent.name}: agent_name in agent_started
 * @param systemPrompt   {@code candor.agent.system-prompt}: sent first in every request
 * @param memoryMessages {@code candor.agent.memory-messages}: earlier messages of the thread sent as context, at most
 * @param memoryChars    {@code candor.agent.memory-chars}: and at most this many characters of them (newest kept)
 * @param maxToolRounds  {@code candor.agent.max-tool-rounds}: model turns that call tools, per run
 * @param toolTimeout    {@code candor.agent.tool-timeout-ms}: bound of one tool call
 * @param toolThreads    {@code candor.agent.tool-threads}: tool calls running at once on this server
 * @param streamMaxLen   {@code candor.runs.stream-max-len}: events kept per run in its Redis stream
 * @param streamTtl      {@code candor.runs.stream-ttl-s}: how long a run's Redis stream is kept for resume
 * @param lease          {@code candor.runs.lease-ms}: how long a run's node holds it without renewing
 * @param reclaimInterval {@code candor.runs.reclaim-interval-ms}: how often expired leases are looked for
 * @param storeRetry     {@code candor.runs.store-retry-ms}: how long a run tries to store its outcome while the database
 *                       is unreachable
 * @param maxRemoteFollowers {@code candor.runs.max-remote-followers}: connections of this node following runs of other
 *                       nodes at once
 */
public record AgentConfig(String name, String systemPrompt, int memoryMessages, int memoryChars, int maxToolRounds,
                          Duration toolTimeout, int toolThreads, int streamMaxLen, Duration streamTtl, Duration lease,
                          Duration reclaimInterval, Duration storeRetry, int maxRemoteFollowers) {
}
