package dev.candor.application.agent;

import java.time.Instant;

/** A {@link RunEvent} with its place in the run: {@code seq} starts at 1 for each run and grows by one per event. */
public record AgentEvent(String runId, String threadId, long seq, Instant timestamp, RunEvent event) {
}
