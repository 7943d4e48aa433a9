package dev.candor.application.chat;

import java.util.Map;

/**
 * One event of an agent run, as it really happened: {@code type} is a protocol event name (agent_started,
 * agent_delta, ...), {@code seq} starts at 1 for each run and grows by one per event.
 */
public record AgentEvent(String connectionId, String runId, String threadId, long seq, String type,
                         Map<String, Object> payload) {
}
