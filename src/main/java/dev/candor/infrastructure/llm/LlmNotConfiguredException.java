package dev.candor.infrastructure.llm;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** No usable provider configuration: the message names the variables to set. */
public class LlmNotConfiguredException extends CandorException {

    public LlmNotConfiguredException(String message) {
        super(ErrorCode.LLM_UNAVAILABLE, message, false);
    }
}
