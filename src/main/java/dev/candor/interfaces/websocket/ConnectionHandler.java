package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.InitializationFailedException;
import dev.candor.application.ServiceInitializationGate;
import dev.candor.application.chat.EventBridge;
import dev.candor.application.startup.StartupReport;
import dev.candor.application.startup.StartupService;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.interfaces.websocket.protocol.ClientFrame;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The life of a chat connection: answer at once with real progress, wait on the {@link ServiceInitializationGate}
 * without holding a thread, then {@code ready} or a clear error and close 1011. Decodes every inbound frame; before
 * {@code ready} a valid frame gets NOT_READY, after it the {@link FrameDispatcher} takes it.
 */
@ApplicationScoped
public class ConnectionHandler {

    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());
    static final String CONNECTION = "candor.connection";
    static final CloseReason INIT_FAILED = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
            "initialization failed");

    @Inject
    CandorConfig config;

    @Inject
    StartupService startup;

    @Inject
    ServiceInitializationGate gate;

    @Inject
    ChatSessions sessions;

    @Inject
    FrameDispatcher dispatcher;

    @Inject
    EventBridge bridge;

    void open(Session session) {
        String user = session.getUserPrincipal() != null ? session.getUserPrincipal().getName() : "anonymous";
        ChatConnection connection = new ChatConnection(UUID.randomUUID().toString(), user, session, sessions.codec(),
                config.webSocket().maxQueuedFrames());
        session.getUserProperties().put(CONNECTION, connection);
        session.setMaxIdleTimeout(config.webSocket().idleTimeout().toMillis());
        if (!sessions.tryAdd(connection)) {
            connection.sendThenClose(ServerFrame.Error.of(ErrorCode.TOO_MANY_CONNECTIONS, "this server already holds "
                    + config.webSocket().maxConnections() + " connections; reconnect later or to another node", true),
                    new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many connections"));
            return;
        }
        connection.initializing(startup::report);
        if (startup.isComplete()) {
            sessions.inOrder(connection::ready); // after any progress frame still being fanned out
            return;
        }
        gate.awaitReady().whenComplete((ready, error) -> sessions.inOrder(() -> {
            if (error == null) {
                connection.ready();
            } else {
                failInitialization(connection, error);
            }
        }));
    }

    void text(Session session, String part, boolean last) {
        ChatConnection connection = connection(session);
        try {
            String text = connection.assemble(part, last, config.webSocket().maxFrameBytes());
            if (text == null) {
                return;
            }
            ClientFrame frame = sessions.codec().decode(text);
            if (connection.state() != ChatConnection.State.READY) {
                connection.send(ServerFrame.Error.of(ErrorCode.NOT_READY, "Candor is still initializing: wait for "
                        + "the 'ready' system_message before sending '" + frame.type() + "'; this frame was not kept",
                        true));
                return;
            }
            dispatcher.dispatch(connection, frame);
        } catch (CandorException e) {
            connection.send(ServerFrame.Error.of(e.code(), e.getMessage(), e.retryable()));
        }
    }

    void binary(Session session, boolean last) {
        if (last) {
            connection(session).send(ServerFrame.Error.of(ErrorCode.UNSUPPORTED_FRAME,
                    "binary frames are not supported; send JSON text frames", false));
        }
    }

    void closed(Session session) {
        ChatConnection connection = connection(session);
        if (connection != null) {
            connection.closed();
            sessions.remove(connection.id());
            bridge.forget(connection.id());
        }
    }

    void error(Session session, Throwable error) {
        ChatConnection connection = connection(session);
        String id = connection != null ? connection.id() : session.getId();
        LOG.log(Level.WARNING, "connection " + id + ": " + error);
        LOG.log(Level.FINE, "connection " + id + " error detail", error);
        if (connection != null && session.isOpen()) {
            connection.send(ServerFrame.Error.of(ErrorCode.INTERNAL_ERROR, "the server could not process the last "
                    + "frame (connection " + id + "); the connection stays open", true));
        }
    }

    private void failInitialization(ChatConnection connection, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ServerFrame.Error frame;
        if (cause instanceof InitializationFailedException failed) {
            frame = new ServerFrame.Error(ErrorCode.SERVICE_INIT_FAILED, failed.getMessage(), true, failed.phase(),
                    failed.retryAfterMs());
        } else if (cause instanceof CircuitBreakerOpenException) {
            long retry = config.init().retryInterval().toMillis();
            frame = new ServerFrame.Error(ErrorCode.SERVICE_UNAVAILABLE, "Candor is unavailable: initialization failed "
                    + "repeatedly, so new attempts are paused. Reconnect later; an operator should check "
                    + "/health/ready.", true, startup.report().current().map(p -> p.phase().name()).orElse(null),
                    retry);
        } else {
            StartupReport report = startup.report();
            String phase = report.current().map(p -> p.phase().name()).orElse(null);
            frame = new ServerFrame.Error(ErrorCode.SERVICE_INIT_FAILED, "Candor could not finish starting ("
                    + cause.getClass().getSimpleName() + " at phase " + phase + "). Reconnect later.", true, phase,
                    config.init().retryInterval().toMillis());
        }
        connection.sendThenClose(frame, INIT_FAILED);
    }

    private static ChatConnection connection(Session session) {
        return (ChatConnection) session.getUserProperties().get(CONNECTION);
    }
}
