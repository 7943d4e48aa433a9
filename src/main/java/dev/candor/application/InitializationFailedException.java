package dev.candor.application;

/** Initialization did not complete within a client's bound; names the phase and what to do. */
public class InitializationFailedException extends CandorException {

    private final String phase;

    public InitializationFailedException(String phase, String message, long retryAfterMs) {
        this(ErrorCode.SERVICE_INIT_FAILED, phase, message, retryAfterMs);
    }

    public InitializationFailedException(ErrorCode code, String phase, String message, long retryAfterMs) {
        super(code, message, true, retryAfterMs, null);
        this.phase = phase;
    }

    /** The phase that is not ready; null when unknown. */
    public String phase() {
        return phase;
    }
}
