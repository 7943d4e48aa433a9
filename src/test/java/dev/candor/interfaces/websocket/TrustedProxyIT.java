package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
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
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behind a balancer named in candor.ws.trusted-proxies (here the test itself, on 127.0.0.1, plays the balancer): the
 * per-address connection limit counts the address in {@code X-Forwarded-For}, and the {@code Origin} check uses the
 * scheme in {@code X-Forwarded-Proto} (the balancer ended TLS). OriginIT shows the same headers ignored from a peer
 * that is not trusted.
 */
@ExtendWith(ArquillianExtension.class)
class TrustedProxyIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.ws.trusted-proxies", "127.0.0.1, ::1");
        config.put("candor.limits.connections-per-ip", "1");
        return Deployments.candor(config);
    }

    @Test
    void eachForwardedClientAddressHasItsOwnConnectionLimit() {
        // Connections are counted in Redis: wait until Candor is ready (a deployment can be reported mid-boot).
        try (WsClient first = WsClient.connect(WsClient.CHAT, Map.of("X-Forwarded-For", "192.0.2.1"))) {
            first.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(60));
        }
        List<WsClient> open = new ArrayList<>();
        try {
            for (String client : List.of("203.0.113.1", "203.0.113.2", "198.51.100.9, 203.0.113.3")) {
                WsClient accepted = WsClient.connect(WsClient.CHAT, Map.of("X-Forwarded-For", client));
                open.add(accepted);
                JsonNode first = accepted.next(Duration.ofSeconds(10));
                assertTrue(WsClient.isSystem(first, "initializing"), client + ": " + first);
            }
            // The address the balancer appended is the client; what the client claimed before it is not believed.
            WsClient refused = WsClient.connect(WsClient.CHAT, Map.of("X-Forwarded-For", "10.9.9.9, 203.0.113.2"));
            JsonNode error = refused.next(Duration.ofSeconds(10));
            assertTrue(WsClient.isError(error, "TOO_MANY_CONNECTIONS"), error.toString());
            assertEquals(1013, refused.awaitClose(Duration.ofSeconds(10)));
            refused.close();
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void anHttpsOriginIsTheServersOwnWhenTheBalancerEndedTls() {
        WebSocket behindTls = HTTP.newWebSocketBuilder().header("Origin", "https://127.0.0.1:8080")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.50")
                .buildAsync(WsClient.CHAT, new WebSocket.Listener() { }).join();
        behindTls.abort();
        CompletionException failure = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Origin", "https://127.0.0.1:8080").header("X-Forwarded-For", "203.0.113.51")
                .buildAsync(WsClient.CHAT, new WebSocket.Listener() { }).join());
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, failure.getCause()).getResponse()
                .statusCode(), "an https origin over plain http without the balancer's word");
    }
}
