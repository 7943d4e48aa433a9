package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.time.Duration;
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
 * Redis never comes back: each client gets SERVICE_INIT_FAILED naming CACHE within its bound, the bound grows with
 * consecutive failures, repeated failures open the circuit (SERVICE_UNAVAILABLE at once), and after the circuit's
 * delay one success closes it again.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitializationFailureIT {

    private static final int REDIS_PORT = Ports.free();
    private static final String BREAKER = "dev.candor.application.ServiceInitializationGate/awaitReady/CircuitBreaker/";
    private static final long FIRST_BOUND_MS = 2000;
    private static final long SECOND_BOUND_MS = 3000;
    private static final long BREAKER_DELAY_MS = 4000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.redis.url", "redis://127.0.0.1:" + REDIS_PORT);
        config.put("candor.redis.timeout-ms", "300");
        config.put("candor.init.timeouts-ms", FIRST_BOUND_MS + "," + SECOND_BOUND_MS);
        config.put("candor.init.retry-interval-ms", "250");
        config.put(BREAKER + "requestVolumeThreshold", "3");
        config.put(BREAKER + "failureRatio", "1.0");
        config.put(BREAKER + "delay", Long.toString(BREAKER_DELAY_MS));
        config.put(BREAKER + "delayUnit", "MILLIS");
        return Deployments.candor(config);
    }

    @Test
    @Order(1)
    void failsNamingTheFailingPhaseWithinTheBoundAndCloses1011() {
        long elapsed = failedWait(FIRST_BOUND_MS);
        assertTrue(elapsed >= FIRST_BOUND_MS - 100, "failed before its bound: " + elapsed + " ms");
    }

    @Test
    @Order(2)
    void theBoundGrowsWithConsecutiveFailures() {
        long elapsed = failedWait(SECOND_BOUND_MS);
        assertTrue(elapsed >= SECOND_BOUND_MS - 100, "the second bound did not grow: " + elapsed + " ms");
    }

    @Test
    @Order(3)
    void repeatedFailuresOpenTheCircuitThenOneSuccessClosesIt() throws Exception {
        failedWait(SECOND_BOUND_MS); // the third failure in a row opens the circuit

        try (WsClient client = WsClient.connect()) {
            assertTrue(WsClient.isSystem(client.next(Duration.ofSeconds(5)), "initializing"));
            JsonNode refused = client.next(Duration.ofSeconds(5));
            long refusedAfterMs = (System.nanoTime() - client.openedAtNanos()) / 1_000_000;
            assertTrue(WsClient.isError(refused, "SERVICE_UNAVAILABLE"), refused.toString());
            assertTrue(refused.path("payload").path("retryable").asBoolean());
            assertTrue(refusedAfterMs < 200, "the open circuit took " + refusedAfterMs + " ms to answer");
            assertEquals(1011, client.awaitClose(Duration.ofSeconds(5)));
        }

        try (RedisProcess redis = LocalRedis.start(REDIS_PORT)) {
            Eventually.pause(BREAKER_DELAY_MS + 200); // the circuit is half-open after its delay
            for (int i = 0; i < 2; i++) { // the trial call succeeds and closes the circuit; the next one passes too
                try (WsClient client = WsClient.connect()) {
                    client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(15));
                }
            }
        }
    }

    /** Connects, expects SERVICE_INIT_FAILED for CACHE within bound + 1 s and close 1011; returns the wait in ms. */
    private static long failedWait(long boundMs) {
        try (WsClient client = WsClient.connect()) {
            JsonNode first = client.next(Duration.ofSeconds(5));
            assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
            // Boot may still be running its first phases when the deployment is reported: their progress comes first.
            JsonNode error = client.next(Duration.ofMillis(boundMs + 1000));
            while (WsClient.isSystem(error, "initialization_progress")) {
                assertTrue(List.of("DEPENDENCIES", "DATABASE").contains(error.path("payload").path("phase").asText()),
                        "progress of a phase after the failing CACHE: " + error);
                error = client.next(Duration.ofMillis(boundMs + 1000));
            }
            long elapsed = (System.nanoTime() - client.openedAtNanos()) / 1_000_000;
            assertTrue(WsClient.isError(error, "SERVICE_INIT_FAILED"), error.toString());
            JsonNode payload = error.path("payload");
            assertEquals("CACHE", payload.path("phase").asText(), payload.toString());
            String message = payload.path("message").asText();
            // "is not available" after a failed attempt, "is still being prepared" when the wait ends during a retry
            assertTrue(message.contains("the cache (Redis) is"), message);
            assertFalse(message.contains("PING") || message.contains("127.0.0.1"), "internal text: " + message);
            assertTrue(payload.path("correlation_id").asText().matches("[0-9a-f]{12}"), payload.toString());
            assertTrue(payload.path("retryable").asBoolean());
            assertEquals(250, payload.path("retry_after_ms").asLong());
            assertEquals(1011, client.awaitClose(Duration.ofSeconds(5)));
            assertTrue(elapsed <= boundMs + 1000, "took " + elapsed + " ms for a bound of " + boundMs);
            return elapsed;
        }
    }
}
