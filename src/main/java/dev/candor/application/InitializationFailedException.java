package dev.candor.application;

/**
 * Initialization did not complete within a client's bound; names the phase and what to do. The message is for users:
 * the details are in the log line that carries the correlation id.
 */
public class InitializationFailedException extends CandorException {

    private final String phase;
    private final boolean boundPassed;

    public InitializationFailedException(String phase, String message, long retryAfterMs, String correlationId) {
        this(phase, message, retryAfterMs, correlationId, false);
    }

    /** {@code boundPassed}: the client's wait ran out its bound (rather than the attempt it waited for failing). */
    public InitializationFailedException(String phase, String message, long retryAfterMs, String correlationId,
                                         boolean boundPassed) {
        super(ErrorCode.SERVICE_INIT_FAILED, message, true, retryAfterMs, correlationId, null);
        this.phase = phase;
        this.boundPassed = boundPassed;
    }

    /** True when the client's wait ran out its bound. */
    public boolean boundPassed() {
        return boundPassed;
    }

    /** The phase that is not ready; null when unknown. */
    public String phase() {
        return phase;
    }
}
