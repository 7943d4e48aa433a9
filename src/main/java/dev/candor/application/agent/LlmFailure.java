package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** The model could not answer (or stopped answering); the message says what happened. */
public class LlmFailure extends CandorException {

    public LlmFailure(ErrorCode code, String message, boolean retryable, Throwable cause) {
        super(code, message, retryable, cause);
    }
}
