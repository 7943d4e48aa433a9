package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handshake's Origin: the server's own, a configured one, or none is upgraded; any other is refused with 403
 * before the upgrade. Also the per-address connection limit (every test client comes from 127.0.0.1).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OriginIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.ws.allowed-origins", "https://app.example, https://other.example:8443");
        config.put("candor.limits.connections-per-ip", "2");
        return Deployments.candor(config);
    }

    @Test
    void upgradesTheServersOwnAConfiguredOrNoOrigin() {
        for (String origin : new String[] {"http://127.0.0.1:8080", "https://app.example",
                "https://other.example:8443", null}) {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (origin != null) {
                builder.header("Origin", origin);
            }
            WebSocket socket = builder.buildAsync(WsClient.CHAT, new WebSocket.Listener() { }).join();
            socket.abort();
        }
    }

    @Test
    void refusesAnotherOriginWith403BeforeTheUpgrade() {
        for (String origin : new String[] {"https://evil.example", "http://127.0.0.1:9999", "null"}) {
            CompletionException failure = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                    .header("Origin", origin).buildAsync(WsClient.CHAT, new WebSocket.Listener() { }).join());
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class,
                    failure.getCause(), origin);
            assertEquals(403, handshake.getResponse().statusCode(), origin);
        }
    }

    @Test
    void refusesAConnectionBeyondTheAddressesLimitWith1013() {
        // Connections are counted in Redis: wait until Candor is ready (a deployment can be reported mid-boot).
        try (WsClient first = WsClient.connect()) {
            first.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(60));
        }
        List<WsClient> open = new ArrayList<>();
        try {
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> accepted(open)));
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> accepted(open)));
            // Claiming another address does not help: this server trusts no balancer (see TrustedProxyIT).
            WsClient refused = WsClient.connect(WsClient.CHAT, Map.of("X-Forwarded-For", "198.51.100.7"));
            JsonNode error = refused.next(Duration.ofSeconds(10));
            assertTrue(WsClient.isError(error, "TOO_MANY_CONNECTIONS"), error.toString());
            assertTrue(error.path("payload").path("retry_after_ms").asLong() > 0, error.toString());
            assertTrue(error.path("payload").path("message").asText().contains("network address"), error.toString());
            assertEquals(1013, refused.awaitClose(Duration.ofSeconds(10)));
            refused.close();
            open.remove(0).close();
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> accepted(open)));
        } finally {
            open.forEach(WsClient::close);
        }
    }

    /** Connects; true, with the client kept in {@code open}, when the server accepted it. */
    private static boolean accepted(List<WsClient> open) {
        WsClient client = WsClient.connectUnlessRefused();
        return client != null && open.add(client);
    }
}
