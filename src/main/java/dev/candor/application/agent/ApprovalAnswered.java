package dev.candor.application.agent;

/** The user answered the approval of call {@code callId} of run {@code runId} on another node. */
public record ApprovalAnswered(String runId, String callId, boolean approved) {
}
