package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A provider that keeps failing opens the circuit: the next run fails at once with LLM_UNAVAILABLE, calling nothing. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LlmCircuitBreakerIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final String BREAKER = "dev.candor.infrastructure.llm.ProviderCircuit/admit/CircuitBreaker/";

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.retries", "1");
        config.put("candor.llm.retry-backoff-ms", "50");
        config.put(BREAKER + "requestVolumeThreshold", "2");
        config.put(BREAKER + "delay", "60000");
        config.put(BREAKER + "delayUnit", "MILLIS");
        return Deployments.candor(config);
    }

    @Test
    void repeatedProviderFailuresOpenTheCircuit() {
        STUB.reset();
        STUB.defaultScript(Script.empty().httpError(503, "overloaded", null));
        try (WsClient client = WsClient.ready()) {
            for (int i = 0; i < 2; i++) {
                client.send(WsClient.userMessage("attempt " + i, null, null));
                JsonNode error = Runs.last(client.runEvents(Duration.ofSeconds(20)));
                assertEquals("agent_error", error.path("type").asText());
                assertEquals("LLM_UNAVAILABLE", error.path("payload").path("error_code").asText());
                assertTrue(error.path("payload").path("message").asText().contains("HTTP 503"), error.toString());
            }
            assertEquals(4, STUB.chatRequests().size(), "each run tried twice (one retry)");

            long start = System.nanoTime();
            client.send(WsClient.userMessage("and now?", null, null));
            List<JsonNode> events = client.runEvents(Duration.ofSeconds(5));
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();

            JsonNode error = Runs.last(events);
            assertEquals("LLM_UNAVAILABLE", error.path("payload").path("error_code").asText(), events.toString());
            assertTrue(error.path("payload").path("message").asText().contains("failed repeatedly"), error.toString());
            assertEquals(4, STUB.chatRequests().size(), "the open circuit still called the provider");
            assertTrue(ms < 1000, "the open circuit took " + ms + " ms");
            assertEquals(List.of("thread_created", "agent_started", "agent_error"), Runs.types(events));
        }
    }
}
