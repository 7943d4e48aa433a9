package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** The model could not answer (or stopped answering); the message says what happened, never the provider's body. */
public class LlmFailure extends CandorException {

    public LlmFailure(ErrorCode code, String message, boolean retryable, Throwable cause) {
        super(code, message, retryable, null, cause);
    }

    public LlmFailure(ErrorCode code, String message, boolean retryable, Long retryAfterMs, String correlationId,
                      Throwable cause) {
        super(code, message, retryable, retryAfterMs, correlationId, cause);
    }
}
