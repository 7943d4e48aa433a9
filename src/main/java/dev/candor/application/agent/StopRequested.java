package dev.candor.application.agent;

/** A stop of run {@code runId} was requested on some node; the node that executes it stops it. */
public record StopRequested(String runId) {
}
