package dev.candor.infrastructure.llm;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** The configured provider did not answer as it should. */
public class LlmUnavailableException extends CandorException {

    public LlmUnavailableException(String message, Throwable cause) {
        super(ErrorCode.LLM_UNAVAILABLE, message, true, cause);
    }
}
