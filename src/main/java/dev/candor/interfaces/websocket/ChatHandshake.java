package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.security.AuthenticationFailedException;
import dev.candor.infrastructure.security.Identity;
import dev.candor.infrastructure.security.TicketStore;
import dev.candor.infrastructure.security.TokenVerifier;
import dev.candor.interfaces.rest.BearerAuthentication;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Authenticates the WebSocket handshake (after {@link ChatEndpointConfigurator} kept the client's address): {@code Authorization: Bearer <token>} (non-browser clients) or
 * {@code ?ticket=} (a single-use ticket from {@code POST /api/ws-ticket}). The outcome goes into the connection's user
 * properties (per connection, WebSocket 2.1): an {@link Identity}, a refusal the connection sends as its first frame
 * before closing 1008, or, while Candor is still starting and cannot check yet, the credential to check once it is
 * ready.
 */
public class ChatHandshake extends ChatEndpointConfigurator {

    static final String IDENTITY = "candor.identity";
    static final String REFUSAL = "candor.refusal";
    static final String PENDING = "candor.pending-credential";

    /** A credential kept until it can be checked: a bearer token, or a ticket. */
    record Credential(String token, String ticket) {
        @Override
        public String toString() {
            return token != null ? "Credential[token]" : "Credential[ticket]";
        }
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(config, request, response); // the client's address, for the per-address limit
        Map<String, Object> properties = config.getUserProperties();
        properties.remove(IDENTITY);
        properties.remove(REFUSAL);
        properties.remove(PENDING);
        Credential credential;
        try {
            credential = credential(request);
        } catch (CandorException e) {
            properties.put(REFUSAL, e);
            return;
        }
        try {
            properties.put(IDENTITY, authenticate(credential));
        } catch (CandorException e) {
            if (e.code() == ErrorCode.NOT_READY) {
                properties.put(PENDING, credential); // checked once Candor is ready
            } else {
                properties.put(REFUSAL, e);
            }
        } catch (RuntimeException e) {
            properties.put(PENDING, credential); // e.g. Redis not connected yet: checked once Candor is ready
        }
    }

    private static Credential credential(HandshakeRequest request) {
        if (!CDI.current().select(CandorConfig.class).get().auth().oidc()) {
            return new Credential(null, null);
        }
        String authorization = header(request.getHeaders(), "Authorization");
        if (authorization != null) {
            return new Credential(BearerAuthentication.bearer(authorization), null);
        }
        List<String> tickets = request.getParameterMap().get("ticket");
        if (tickets != null && !tickets.isEmpty()) {
            return new Credential(null, tickets.get(0));
        }
        throw new AuthenticationFailedException("no credentials: send 'Authorization: Bearer <token>' or connect with "
                + "?ticket= from POST /api/ws-ticket");
    }

    /** The identity behind a credential, refused when it lacks the role Candor requires. */
    static Identity authenticate(Credential credential) {
        TokenVerifier verifier = CDI.current().select(TokenVerifier.class).get();
        Identity identity;
        if (credential.ticket() != null) {
            identity = CDI.current().select(TicketStore.class).get().redeem(credential.ticket());
        } else {
            identity = verifier.verify(credential.token());
        }
        if (!verifier.permitted(identity)) {
            throw new CandorException(ErrorCode.FORBIDDEN, "your account lacks the group Candor requires; ask an "
                    + "administrator for access", false);
        }
        return identity;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (name.equalsIgnoreCase(entry.getKey()) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
