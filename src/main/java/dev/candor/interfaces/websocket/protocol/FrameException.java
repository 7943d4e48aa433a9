package dev.candor.interfaces.websocket.protocol;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;

/** A client frame that cannot be accepted; answered with an error frame, the connection stays open. */
public class FrameException extends CandorException {

    public FrameException(ErrorCode code, String message) {
        super(code, message, false);
    }
}
