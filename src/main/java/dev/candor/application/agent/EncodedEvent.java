package dev.candor.application.agent;

/**
 * A run event as it goes on the wire: encoded once, then sent live, appended to the run's stream and replayed from it
 * without being encoded again.
 */
public record EncodedEvent(String runId, long seq, boolean terminal, String frame) {
}
