package dev.candor.application;

/**
 * What a client is told about a failure: a code, a sentence it can act on, whether trying again can help, and where
 * they apply the wait, the startup phase and the correlation id that names the server log line with the details.
 */
public record ErrorReport(ErrorCode code, String message, boolean retryable, Long retryAfterMs, String phase,
                          String correlationId) {

    public static ErrorReport of(ErrorCode code, String message, boolean retryable) {
        return new ErrorReport(code, message, retryable, null, null, null);
    }
}
