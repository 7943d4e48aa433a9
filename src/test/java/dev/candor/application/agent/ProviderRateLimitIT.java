package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * A provider 429 limits its run only: the LLM circuit breaker, which would open after 2 failures here, stays closed.
 * Then the user's daily token budget, counted from the provider's usage of completed runs (on a Redis of its own).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderRateLimitIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final String BREAKER = "dev.candor.infrastructure.llm.ProviderCircuit/admit/CircuitBreaker/";
    private static final Duration RUN = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.retries", "1");
        config.put("candor.llm.retry-backoff-ms", "20");
        config.put(BREAKER + "requestVolumeThreshold", "2");
        config.put(BREAKER + "delay", "60000");
        config.put(BREAKER + "delayUnit", "MILLIS");
        config.put("candor.limits.daily-tokens", "100");
        // the token counter of the day must not hold what earlier test deployments used
        config.put("candor.redis.url", LocalRedis.ofItsOwn());
        return Deployments.candor(config);
    }

    @Test
    @Order(1)
    void providerRateLimitsFailTheirRunsWithRateLimitedAndLeaveTheBreakerClosed() {
        STUB.reset();
        STUB.defaultScript(Script.empty().httpError(429, "slow down", 1));
        try (WsClient client = WsClient.ready()) {
            for (int i = 0; i < 10; i++) {
                client.send(WsClient.userMessage("limited " + i, null, null));
                JsonNode error = Runs.last(client.runEvents(RUN));
                assertEquals("agent_error", error.path("type").asText(), error.toString());
                assertEquals("RATE_LIMITED", error.path("payload").path("error_code").asText(), error.toString());
                assertEquals(1000, error.path("payload").path("retry_after_ms").asLong(), error.toString());
                assertTrue(error.path("payload").path("retryable").asBoolean());
            }
            assertEquals(20, STUB.chatRequests().size(), "each run tried twice (one retry)");

            STUB.defaultScript(Script.reply("Still ", "here.").usage(30, 20));
            client.send(WsClient.userMessage("and now?", null, null));
            List<JsonNode> events = client.runEvents(RUN);
            assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
            assertEquals("Still here.", Runs.deltas(events));
            assertEquals(21, STUB.chatRequests().size(), "the breaker opened: the provider was not called");
        }
    }

    @Test
    @Order(2)
    void refusesMessagesOnceTheUsersTokensOfTheDayAreUsed() {
        STUB.reset();
        STUB.defaultScript(Script.reply("Fifty ", "more.").usage(30, 20));
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage("use the rest", null, null)); // 50 + 50 of 100 tokens
            assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());

            JsonNode refused = client.request(WsClient.userMessage("one more", null, "over"));
            assertTrue(WsClient.isError(refused, "RATE_LIMITED"), refused.toString());
            long wait = refused.path("payload").path("retry_after_ms").asLong();
            Instant now = Instant.now();
            long untilMidnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant().toEpochMilli() - now.toEpochMilli();
            assertTrue(Math.abs(wait - untilMidnight) < 60_000, "retry_after_ms " + wait + ", UTC midnight in "
                    + untilMidnight);
            assertTrue(refused.path("payload").path("message").asText().contains("for today"), refused.toString());
            assertEquals("over", refused.path("payload").path("client_message_id").asText());
            assertEquals(1, STUB.chatRequests().size(), "the refused message ran");
        }
    }
}
