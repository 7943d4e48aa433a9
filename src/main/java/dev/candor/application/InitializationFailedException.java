package dev.candor.application;

/**
 * Initialization did not complete within a client's bound; names the phase and what to do. The message is for users:
 * the details are in the log line that carries the correlation id.
 */
public class InitializationFailedException extends CandorException {

    private final String phase;

    public InitializationFailedException(String phase, String message, long retryAfterMs, String correlationId) {
        super(ErrorCode.SERVICE_INIT_FAILED, message, true, retryAfterMs, correlationId, null);
        this.phase = phase;
    }

    /** The phase that is not ready; null when unknown. */
    public String phase() {
        return phase;
    }
}
