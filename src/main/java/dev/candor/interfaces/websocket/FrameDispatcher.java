package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.interfaces.websocket.protocol.ClientFrame;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;

/** The one dispatch path for frames of a READY connection. */
@ApplicationScoped
public class FrameDispatcher {

    void dispatch(ChatConnection connection, ClientFrame frame) {
        if (frame instanceof ClientFrame.Ping) {
            connection.send(new ServerFrame.Pong());
        } else {
            throw new CandorException(ErrorCode.INTERNAL_ERROR, "'" + frame.type() + "' is not handled by this "
                    + "server version", false);
        }
    }
}
