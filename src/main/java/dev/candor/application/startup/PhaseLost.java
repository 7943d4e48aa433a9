package dev.candor.application.startup;

/**
 * CDI event fired when a READY phase's dependency is lost after it became ready: the phase is FAILED and every phase
 * after it PENDING. {@code reason} is for operators (logs, health data), never for clients.
 */
public record PhaseLost(Phase phase, String reason, StartupReport report) {
}
