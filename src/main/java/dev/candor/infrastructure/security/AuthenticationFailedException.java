package dev.candor.infrastructure.security;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** Credentials were missing or not valid. The message says which, in words safe to show to the caller. */
public class AuthenticationFailedException extends CandorException {

    public AuthenticationFailedException(String message) {
        super(ErrorCode.AUTH_FAILED, message, false);
    }
}
