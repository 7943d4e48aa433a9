package dev.candor.application;

/**
 * Root of Candor's unchecked exceptions. The message names the id involved and what the user or operator can do; it is
 * shown to clients, so it never carries internal exception text. {@code retryAfterMs} is set where a wait is known.
 */
public class CandorException extends RuntimeException {

    private final ErrorCode code;
    private final boolean retryable;
    private final Long retryAfterMs;
    private final String correlationId;

    public CandorException(ErrorCode code, String message, boolean retryable) {
        this(code, message, retryable, null, null);
    }

    public CandorException(ErrorCode code, String message, boolean retryable, Throwable cause) {
        this(code, message, retryable, null, cause);
    }

    public CandorException(ErrorCode code, String message, boolean retryable, Long retryAfterMs, Throwable cause) {
        this(code, message, retryable, retryAfterMs, null, cause);
    }

    /** {@code correlationId} names the server log line that holds the details the client is not shown. */
    public CandorException(ErrorCode code, String message, boolean retryable, Long retryAfterMs, String correlationId,
                           Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
        this.correlationId = correlationId;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the client should wait before trying again, when known; null otherwise. */
    public Long retryAfterMs() {
        return retryAfterMs;
    }

    /** The id of the server log line with the details; null when there is none. */
    public String correlationId() {
        return correlationId;
    }
}
