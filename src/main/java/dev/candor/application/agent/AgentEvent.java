package dev.candor.application.agent;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One event of an agent run, as it really happened: {@code type} is the protocol event name (agent_started,
 * agent_delta, ...); {@code seq} starts at 1 for each run and grows by one per event.
 */
public record AgentEvent(String runId, String threadId, long seq, String type, JsonObject payload, Instant timestamp) {

    public static final java.util.Set<String> TERMINAL = java.util.Set.of("agent_completed", "agent_error",
            "run_cancelled");

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }
}
