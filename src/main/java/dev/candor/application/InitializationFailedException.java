package dev.candor.application;

/** Initialization did not complete within a client's bound; names the phase and what to do. */
public class InitializationFailedException extends CandorException {

    private final String phase;
    private final long retryAfterMs;

    public InitializationFailedException(String phase, String message, long retryAfterMs) {
        super(ErrorCode.SERVICE_INIT_FAILED, message, true);
        this.phase = phase;
        this.retryAfterMs = retryAfterMs;
    }

    public String phase() {
        return phase;
    }

    public long retryAfterMs() {
        return retryAfterMs;
    }
}
