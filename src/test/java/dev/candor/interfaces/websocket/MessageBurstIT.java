package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One socket sends 300 user_messages at once: exactly the allowed number run, every other one is RATE_LIMITED. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MessageBurstIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final int ALLOWED = 5;
    private static final int BURST = 300;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.limits.messages", Integer.toString(ALLOWED));
        config.put("candor.limits.messages-window-ms", "120000"); // no refill during the burst
        config.put("candor.limits.concurrent-runs", "1000");
        // the user's message bucket starts full, whatever earlier deployments (and executions) used
        config.put("candor.redis.url", LocalRedis.ofItsOwn());
        return Deployments.candor(config);
    }

    @Test
    void runsExactlyTheAllowedMessagesOfABurstAndRefusesEveryOtherOne() {
        STUB.reset();
        try (WsClient client = WsClient.ready()) {
            for (int i = 0; i < BURST; i++) {
                client.send(WsClient.userMessage("burst " + i, null, "b-" + i));
            }
            Predicate<JsonNode> limited = f -> WsClient.isError(f, "RATE_LIMITED");
            Predicate<JsonNode> started = f -> "agent_started".equals(f.path("type").asText());
            Predicate<JsonNode> ended = f -> "agent_completed".equals(f.path("type").asText());
            client.awaitSeen(limited, BURST - ALLOWED, Duration.ofSeconds(60));
            client.awaitSeen(ended, ALLOWED, Duration.ofSeconds(60));
            Eventually.pause(500); // a run wrongly let through would have shown up by now (seen() has every frame)

            long refused = client.seen().stream().filter(limited).count();
            long runs = client.seen().stream().filter(started).count();
            assertEquals(ALLOWED, STUB.chatRequests().size(), "provider requests");
            assertEquals(ALLOWED, runs, "runs started");
            assertEquals(BURST - ALLOWED, refused, "RATE_LIMITED errors");
            assertEquals(BURST, runs + refused);
            assertTrue(client.seen().stream().filter(limited).allMatch(f -> f.path("payload").path("retry_after_ms")
                    .asLong() > 0 && !f.path("payload").path("client_message_id").asText().isEmpty()));
            System.out.println("burst of " + BURST + ": " + runs + " runs, " + refused + " RATE_LIMITED");
        }
    }
}
