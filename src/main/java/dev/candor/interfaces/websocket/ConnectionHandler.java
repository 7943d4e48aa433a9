package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.ServiceInitializationGate;
import dev.candor.application.agent.EventBridge;
import dev.candor.application.limit.UsageLimits;
import dev.candor.application.metrics.ConnectionMetrics;
import dev.candor.application.metrics.InitMetrics;
import dev.candor.application.startup.Dependency;
import dev.candor.application.startup.PhaseLost;
import dev.candor.application.startup.StartupService;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.security.Identity;
import dev.candor.interfaces.websocket.protocol.ClientFrame;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.UUID;
import java.util.logging.Logger;

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
    static final CloseReason TOO_MANY_CONNECTIONS = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER,
            "too many connections");

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

    @Inject
    ConnectionAuthentication authentication;

    @Inject
    UsageLimits limits;

    @Inject
    ConnectionMetrics metrics;

    @Inject
    InitMetrics initMetrics;

    void open(Session session) {
        metrics.opened();
        var properties = session.getUserProperties();
        Identity identity = (Identity) properties.get(ChatHandshake.IDENTITY);
        ChatConnection connection = new ChatConnection(UUID.randomUUID().toString(), identity, session,
                sessions.codec(), config.webSocket().maxQueuedFrames(), config.webSocket().maxQueuedBytes(), metrics);
        properties.put(CONNECTION, connection);
        session.setMaxIdleTimeout(config.webSocket().idleTimeout().toMillis());
        if (properties.get(ChatHandshake.REFUSAL) instanceof CandorException refusal) {
            ConnectionAuthentication.refuse(connection, refusal); // before anything else is sent
            return;
        }
        try {
            // A credential still to be checked (Candor is starting) counts against its address only, until then.
            connection.holdSlot(limits.openConnection(identity != null ? identity.userId() : "unverified:"
                    + connection.id(), (String) properties.get(ChatEndpointConfigurator.CLIENT_ADDRESS)));
        } catch (CandorException e) {
            connection.setUpEnded(ConnectionMetrics.Setup.REFUSED);
            connection.sendThenClose(ServerFrame.Error.of(Failures.report(e, "connection " + connection.id())),
                    TOO_MANY_CONNECTIONS);
            return;
        }
        if (!sessions.tryAdd(connection)) {
            connection.releaseSlot();
            connection.setUpEnded(ConnectionMetrics.Setup.REFUSED);
            connection.sendThenClose(new ServerFrame.Error(ErrorCode.TOO_MANY_CONNECTIONS, "this server already holds "
                    + config.webSocket().maxConnections() + " connections; reconnect later or to another node", true,
                    null, config.init().retryInterval().toMillis(), null, null, null, null), TOO_MANY_CONNECTIONS);
            return;
        }
        connection.initializing(startup::report);
        if (startup.isComplete()) {
            sessions.inOrder(() -> ready(connection)); // after any progress frame still being fanned out
            return;
        }
        awaitReady(connection);
    }

    /** {@code ready}, once the connection's user is known (a credential kept from the handshake is checked first). */
    private void ready(ChatConnection connection) {
        if (authentication.confirm(connection)) {
            connection.ready();
        }
    }

    /**
     * Waits on the gate without holding a thread, then {@code ready}, or the error and close 1011. A user whose cohort
     * has on-demand re-initialization off (rollout switch init.on-demand) waits for the attempt under way only.
     */
    private void awaitReady(ChatConnection connection) {
        Identity identity = connection.identity();
        var wait = gate.startsAttemptsFor(identity != null ? identity.userId() : null) ? gate.awaitReady()
                : gate.awaitRunningAttempt();
        long start = System.nanoTime();
        wait.whenComplete((ready, error) -> {
            initMetrics.gateWaitEnded(error, System.nanoTime() - start);
            sessions.inOrder(() -> {
                if (connection.state() == ChatConnection.State.CLOSED) {
                    return; // the client left while it waited
                }
                if (error == null && !startup.isComplete()) {
                    awaitReady(connection); // a phase was lost again after this wait's report: wait for the next one
                } else if (error == null) {
                    ready(connection);
                } else {
                    failInitialization(connection, error);
                }
            });
        });
    }

    /**
     * A dependency was lost after startup: every READY connection is told, stops taking user messages, and waits on
     * the gate like a connecting client; the gate's retry loop then re-initializes the lost phase and those after it.
     */
    void onPhaseLost(@Observes PhaseLost lost) {
        String what = Dependency.userName(lost.phase());
        String frame = sessions.codec().encode(new ServerFrame.Reinitializing(lost.phase().name(),
                lost.report().progress(), "Candor lost its connection to " + what + " and is reconnecting (phase "
                + lost.phase() + "). Answers already streaming continue; new messages can be sent once it is ready.",
                ChatConnection.eta(lost.report())));
        sessions.inOrder(() -> {
            for (ChatConnection connection : sessions.all()) {
                if (connection.reinitializing(lost.report(), frame)) {
                    awaitReady(connection);
                }
            }
        });
    }

    void text(Session session, String part, boolean last) {
        ChatConnection connection = connection(session);
        ClientFrame frame;
        try {
            String text = connection.assemble(part, last, config.webSocket().maxFrameBytes());
            if (text == null) {
                return;
            }
            frame = sessions.codec().decode(text);
        } catch (CandorException e) {
            metrics.frameIn(ConnectionMetrics.INVALID_FRAME);
            refuseFrame(connection, e);
            return;
        }
        metrics.frameIn(frame.type());
        try {
            if (frame instanceof ClientFrame.Reauthenticate reauthenticate) {
                authentication.reauthenticate(connection, reauthenticate);
                return;
            }
            ChatConnection.State state = connection.state();
            if (state == ChatConnection.State.INITIALIZING
                    || state == ChatConnection.State.REINITIALIZING && frame instanceof ClientFrame.UserMessage) {
                notReady(connection, frame, state);
                return;
            }
            dispatcher.dispatch(connection, frame);
        } catch (CandorException e) {
            refuseFrame(connection, e);
        }
    }

    private static void refuseFrame(ChatConnection connection, CandorException e) {
        connection.send(ServerFrame.Error.of(Failures.report(e, "a frame of connection " + connection.id())));
    }

    /** NOT_READY, with when to try again: the estimate when there is one, else the gate's retry interval. */
    private void notReady(ChatConnection connection, ClientFrame frame, ChatConnection.State state) {
        Long eta = ChatConnection.eta(startup.report());
        long retryAfter = Math.max(eta != null ? eta : 0, config.init().retryInterval().toMillis());
        String message = state == ChatConnection.State.INITIALIZING
                ? "Candor is still initializing: wait for the 'ready' system_message before sending '" + frame.type()
                        + "'; this frame was not kept"
                : "Candor is reconnecting to a service it needs: wait for the 'ready' system_message before sending "
                        + "another message; this one was not kept";
        ServerFrame.Error error = new ServerFrame.Error(ErrorCode.NOT_READY, message, true, null, retryAfter, null,
                null, null, null);
        if (frame instanceof ClientFrame.UserMessage user) {
            error = error.concerning(null, user.threadId(), user.clientMessageId());
        }
        connection.send(error);
    }

    void binary(Session session, boolean last) {
        if (last) {
            metrics.frameIn(ConnectionMetrics.INVALID_FRAME);
            connection(session).send(ServerFrame.Error.of(ErrorCode.UNSUPPORTED_FRAME,
                    "binary frames are not supported; send JSON text frames", false));
        }
    }

    void closed(Session session, int closeCode) {
        metrics.closed(closeCode);
        ChatConnection connection = connection(session);
        if (connection != null) {
            connection.setUpEnded(ConnectionMetrics.Setup.CLIENT_LEFT);
            connection.closed();
            connection.releaseSlot();
            sessions.remove(connection.id());
            bridge.forget(connection.id());
        }
    }

    void error(Session session, Throwable error) {
        ChatConnection connection = connection(session);
        String id = connection != null ? connection.id() : session.getId();
        ErrorReport report = Failures.report(error, "connection " + id);
        if (connection != null && session.isOpen()) {
            connection.send(ServerFrame.Error.of(report));
        }
    }

    private void failInitialization(ChatConnection connection, Throwable error) {
        connection.setUpEnded(ConnectionMetrics.Setup.INIT_FAILED);
        ErrorReport report = Failures.report(error, "initialization wait of connection " + connection.id());
        if (report.phase() == null) {
            String phase = startup.report().current().map(p -> p.phase().name()).orElse(null);
            report = new ErrorReport(report.code(), report.message(), report.retryable(),
                    report.retryAfterMs() != null ? report.retryAfterMs() : config.init().retryInterval().toMillis(),
                    phase, report.correlationId());
        }
        connection.sendThenClose(ServerFrame.Error.of(report), INIT_FAILED);
    }

    private static ChatConnection connection(Session session) {
        return (ChatConnection) session.getUserProperties().get(CONNECTION);
    }
}
