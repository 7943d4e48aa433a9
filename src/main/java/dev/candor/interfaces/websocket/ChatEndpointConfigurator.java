package dev.candor.interfaces.websocket;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Hands the client's network address, which {@link OriginFilter} put on the upgrade request, to the connection (for
 * the per-address connection limit). The endpoint instance is still the container's (CDI injection included).
 */
public class ChatEndpointConfigurator extends ServerEndpointConfig.Configurator {

    /** User property of the session holding the client's address (a String), when known. */
    static final String CLIENT_ADDRESS = "candor.client-address";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        List<String> address = request.getHeaders().get(OriginFilter.CLIENT_ADDRESS_HEADER);
        if (address != null && !address.isEmpty()) {
            config.getUserProperties().put(CLIENT_ADDRESS, address.get(0));
        }
    }
}
