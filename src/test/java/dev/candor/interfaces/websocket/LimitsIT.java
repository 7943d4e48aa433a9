package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each per-user and per-connection limit, with tiny windows: the refusal's code and retry_after_ms, then recovery.
 * Ordered so that the message rate test, which uses the user's whole window, comes last.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final int MESSAGES = 6;
    private static final long WINDOW_MS = 3000;
    private static final Duration RUN = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.limits.messages", Integer.toString(MESSAGES));
        config.put("candor.limits.messages-window-ms", Long.toString(WINDOW_MS));
        config.put("candor.limits.concurrent-runs", "2");
        config.put("candor.limits.connections-per-user", "3");
        config.put("candor.limits.resumes", "3");
        config.put("candor.limits.resumes-window-ms", "2000");
        config.put("candor.limits.run-output-tokens", "50");
        return Deployments.candor(config);
    }

    @Test
    @Order(1)
    void sendsTheRunsOutputTokenLimitToTheProvider() {
        STUB.reset();
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage("short answer please", null, null));
            assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());
        }
        String body = STUB.chatRequests().get(0).body();
        assertTrue(Pattern.compile("\"max_(completion_)?tokens\"\\s*:\\s*50\\b").matcher(body).find(), body);
    }

    @Test
    @Order(2)
    void refusesARunBeyondTheUsersConcurrentRunsUntilOneEnds() {
        STUB.reset();
        STUB.defaultScript(Script.empty().delayMs(2500).text("slow answer"));
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage("one", null, "c-1"));
            client.send(WsClient.userMessage("two", null, "c-2"));
            assertTrue(STUB.awaitChatRequests(2, Duration.ofSeconds(10)));
            JsonNode refused = client.request(WsClient.userMessage("three", null, "c-3"));
            while (!"error".equals(refused.path("type").asText())) {
                refused = client.next(RUN); // run events of the first two
            }
            assertLimited(refused, "RATE_LIMITED", 1, 60_000);
            assertEquals("c-3", refused.path("payload").path("client_message_id").asText());
            assertTrue(refused.path("payload").path("message").asText().contains("in progress"), refused.toString());

            client.awaitSeen(f -> "agent_completed".equals(f.path("type").asText()), 2, RUN);
            client.send(WsClient.userMessage("three", null, "c-3"));
            client.awaitSeen(f -> "agent_completed".equals(f.path("type").asText()), 3, RUN);
            assertEquals(3, STUB.chatRequests().size(), "the refused message ran nothing");
        }
    }

    @Test
    @Order(3)
    void refusesResumesBeyondTheConnectionsRateThenAcceptsThemAgain() {
        try (WsClient client = WsClient.ready()) {
            String resume = "{\"type\":\"resume\",\"payload\":{\"run_id\":\"no-such-run\",\"after_seq\":0}}";
            List<String> codes = new ArrayList<>();
            JsonNode limited = null;
            for (int i = 0; i < 4; i++) {
                JsonNode reply = client.request(resume);
                codes.add(reply.path("payload").path("error_code").asText());
                limited = reply;
            }
            assertEquals(List.of("RUN_NOT_FOUND", "RUN_NOT_FOUND", "RUN_NOT_FOUND", "RATE_LIMITED"), codes);
            long wait = assertLimited(limited, "RATE_LIMITED", 1, 2000);
            assertEquals("no-such-run", limited.path("payload").path("run_id").asText());
            Eventually.pause(wait + 50);
            assertEquals("RUN_NOT_FOUND", client.request(resume).path("payload").path("error_code").asText());
        }
    }

    @Test
    @Order(4)
    void refusesAConnectionBeyondTheUsersLimitWith1013UntilOneCloses() {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // the connections of earlier tests are released as the server sees them close
                assertTrue(Eventually.within(Duration.ofSeconds(10), () -> opened(open)));
            }
            WsClient refused = WsClient.connect();
            JsonNode error = refused.next(Duration.ofSeconds(10));
            assertLimited(error, "TOO_MANY_CONNECTIONS", 1, 60_000);
            assertEquals(1013, refused.awaitClose(Duration.ofSeconds(10)));
            refused.close();

            open.remove(0).close();
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> opened(open)),
                    "a connection was refused after one of the user's connections closed");
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    @Order(5)
    void refusesMessagesBeyondTheUsersRateWithoutStoringThemThenAcceptsThemAgain() {
        STUB.reset();
        try (WsClient client = WsClient.ready()) {
            JsonNode refusal = null;
            int accepted = 0;
            for (int i = 0; i <= MESSAGES && refusal == null; i++) {
                client.send(WsClient.userMessage("message " + i, null, "m-" + i));
                JsonNode reply = client.next(RUN);
                if ("error".equals(reply.path("type").asText())) {
                    refusal = reply;
                } else {
                    accepted++;
                    client.runEvents(RUN);
                }
            }
            assertTrue(refusal != null, "no refusal after " + accepted + " messages");
            assertTrue(accepted <= MESSAGES, "accepted " + accepted); // earlier tests may have used part of the window
            long wait = assertLimited(refusal, "RATE_LIMITED", 1, WINDOW_MS);
            String refusedId = refusal.path("payload").path("client_message_id").asText();
            assertEquals(accepted, STUB.chatRequests().size(), "the refused message ran");

            Eventually.pause(wait + 50);
            client.send(WsClient.userMessage("again", null, refusedId));
            List<JsonNode> events = client.runEvents(RUN);
            assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
            assertEquals("thread_created", events.get(0).path("type").asText(),
                    "the refused message was stored: its resend was a duplicate");
        }
    }

    /** Connects; true, with the client kept in {@code open}, when the server accepted it. */
    private static boolean opened(List<WsClient> open) {
        WsClient client = WsClient.connectUnlessRefused();
        return client != null && open.add(client);
    }

    /** Checks an error frame's code, that it is retryable and that retry_after_ms is in range; returns it. */
    private static long assertLimited(JsonNode frame, String code, long min, long max) {
        assertEquals("error", frame.path("type").asText(), frame.toString());
        JsonNode payload = frame.path("payload");
        assertEquals(code, payload.path("error_code").asText(), frame.toString());
        assertTrue(payload.path("retryable").asBoolean(), frame.toString());
        long wait = payload.path("retry_after_ms").asLong(-1);
        assertTrue(wait >= min && wait <= max, "retry_after_ms " + wait + " not in [" + min + ", " + max + "]: "
                + frame);
        return wait;
    }
}
