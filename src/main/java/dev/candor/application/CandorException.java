package dev.candor.application;

/** Root of Candor's unchecked exceptions. The message names the id involved and what the user or operator can do. */
public class CandorException extends RuntimeException {

    private final ErrorCode code;
    private final boolean retryable;

    public CandorException(ErrorCode code, String message, boolean retryable) {
        this(code, message, retryable, null);
    }

    public CandorException(ErrorCode code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
