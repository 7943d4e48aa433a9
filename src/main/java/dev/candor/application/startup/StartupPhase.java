package dev.candor.application.startup;

/**
 * One startup phase. Implementations are idempotent: {@link #run()} after success does nothing new, and a run after a
 * failure retries only the phase's own work. A phase never installs a stand-in for what it could not set up.
 */
public interface StartupPhase {

    Phase phase();

    /** Does the phase's work, or throws with a message that says what failed and what to do. */
    void run() throws Exception;
}
