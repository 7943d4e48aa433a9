package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.metrics.ConnectionMetrics;
import dev.candor.infrastructure.security.Identity;
import dev.candor.infrastructure.security.TokenVerifier;
import dev.candor.interfaces.websocket.protocol.ClientFrame;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.time.Instant;

/**
 * Who is behind a chat connection, for its whole life: the identity from the handshake (or the credential checked
 * once Candor is ready), the close 1008 when that identity expires, and {@code reauthenticate} that extends it.
 */
@ApplicationScoped
public class ConnectionAuthentication {

    @Inject
    TokenVerifier verifier;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /**
     * Before {@code ready}: a credential kept from the handshake (Candor was starting) is checked, and refused with
     * AUTH_FAILED and close 1008 if it does not pass; the close at the identity's expiry is armed. False when refused.
     */
    boolean confirm(ChatConnection connection) {
        if (connection.identity() == null) {
            Object pending = connection.session().getUserProperties().get(ChatHandshake.PENDING);
            try {
                authenticated(connection, ChatHandshake.authenticate((ChatHandshake.Credential) pending));
            } catch (CandorException e) {
                refuse(connection, e);
                return false;
            } catch (RuntimeException e) {
                // Not a verdict on the credential: a dependency failed while checking it. Say so; reconnecting helps.
                ErrorReport report = Failures.report(e, "authenticating connection " + connection.id());
                connection.setUpEnded(ConnectionMetrics.Setup.INIT_FAILED);
                connection.sendThenClose(ServerFrame.Error.of(report), new CloseReason(
                        CloseReason.CloseCodes.UNEXPECTED_CONDITION, "credentials could not be checked"));
                return false;
            }
        } else {
            authenticated(connection, connection.identity());
        }
        return true;
    }

    /** Arms the close at the identity's expiry. */
    private void authenticated(ChatConnection connection, Identity identity) {
        connection.authenticated(identity, scheduler, () -> connection.sendThenClose(ServerFrame.Error.of(
                ErrorCode.AUTH_FAILED, "Your sign-in expired. Sign in again and reconnect (a client can send "
                        + "'reauthenticate' with a fresh token before its token expires to stay connected).", false),
                new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "token expired")));
    }

    /** The credential was refused: the error, then close 1008. */
    static void refuse(ChatConnection connection, CandorException refusal) {
        connection.setUpEnded(ConnectionMetrics.Setup.REFUSED);
        connection.sendThenClose(ServerFrame.Error.of(refusal.code(), refusal.getMessage(), refusal.retryable()),
                new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "authentication failed"));
    }

    /**
     * {@code reauthenticate}: a fresh token for the same user keeps the connection open past the current token's
     * expiry. A bad token is answered AUTH_FAILED (the connection keeps its current token); a token of another user
     * closes the connection.
     */
    void reauthenticate(ChatConnection connection, ClientFrame.Reauthenticate frame) {
        if (connection.identity() == null) {
            throw new CandorException(ErrorCode.NOT_READY, "the credential this connection opened with is checked "
                    + "once Candor is ready; send 'reauthenticate' after 'ready'", true);
        }
        Identity fresh = verifier.verify(frame.token());
        if (!verifier.permitted(fresh)) {
            refuse(connection, new CandorException(ErrorCode.FORBIDDEN, "your account lacks the group Candor "
                    + "requires; ask an administrator for access", false));
            return;
        }
        if (!fresh.userId().equals(connection.userId())) {
            refuse(connection, new CandorException(ErrorCode.AUTH_FAILED, "the token is for another user; a "
                    + "connection stays with the user it was opened for", false));
            return;
        }
        authenticated(connection, fresh);
        long seconds = fresh.expiresAt().equals(Instant.MAX) ? -1
                : Math.max(0, Duration.between(Instant.now(), fresh.expiresAt()).toSeconds());
        connection.send(new ServerFrame.Reauthenticated(seconds));
    }
}
