package dev.candor.interfaces.websocket;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/**
 * The chat WebSocket ({@code /ws/chat}, see docs/protocol.md). Thin: every event goes to the
 * {@link ConnectionHandler}. Text arrives in parts so that an oversized frame is refused without closing the socket.
 */
@ServerEndpoint(value = "/ws/chat", configurator = ChatHandshake.class)
public class ChatEndpoint {

    @Inject
    ConnectionHandler handler;

    @OnOpen
    public void open(Session session) {
        handler.open(session);
    }

    @OnMessage
    public void text(Session session, String part, boolean last) {
        handler.text(session, part, last);
    }

    @OnMessage
    public void binary(Session session, ByteBuffer part, boolean last) {
        handler.binary(session, last);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        handler.closed(session, reason.getCloseCode().getCode());
    }

    @OnError
    public void error(Session session, Throwable error) {
        handler.error(session, error);
    }
}
