package dev.candor.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Assertions that a credential is refused everywhere a client can present it. */
public final class Refusals {

    private Refusals() {
    }

    /** REST answers 401 AUTH_FAILED, and the WebSocket sends AUTH_FAILED first, then closes 1008. */
    public static void refusedOnRestAndWebSocket(String token) {
        HttpResponse<String> rest = Http.send("GET", URI.create(Http.APP + "api/threads"), null, token);
        assertEquals(401, rest.statusCode(), rest.body());
        assertTrue(rest.body().contains("AUTH_FAILED"), rest.body());
        try (WsClient client = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + token))) {
            assertTrue(WsClient.isError(client.next(Duration.ofSeconds(30)), "AUTH_FAILED"));
            assertEquals(1008, client.awaitClose(Duration.ofSeconds(10)));
        }
    }
}
