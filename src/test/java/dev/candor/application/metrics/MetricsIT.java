package dev.candor.application.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Scrape;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The meters as Prometheus scrapes them from the management interface: a scenario is driven through the real
 * WebSocket, the endpoint is scraped before and after it, and the counters and histogram counts must have grown by
 * exactly what the scenario did. The counters outlive deployments, so only deltas are compared.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private static final int CLIENTS = 50;
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final LlmProviderStub LLM = LlmProviderStub.start();
    private static final List<String> PHASES = List.of("dependencies", "database", "cache", "services", "websocket",
            "validation", "finalize");
    /** Label values no series may carry: the user's id, thread ids, message text. */
    private static final Set<String> PRIVATE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LLM));
        config.put("candor.health.refresh-interval-ms", "300");
        config.put("candor.llm.check-timeout-ms", "1000");
        config.put("candor.init.retry-interval-ms", "250");
        config.put("candor.init.timeouts-ms", "60000");
        config.put("candor.llm.retries", "2");
        config.put("candor.llm.retry-backoff-ms", "50");
        return Deployments.candor(config);
    }

    @AfterAll
    static void stopStub() {
        LLM.close();
    }

    @Test
    @Order(1)
    void fiftyClientsWaitingOnAReinitializationAreEachCountedOnce() {
        Http.awaitHealth("ready", body -> body.contains("\"status\":\"UP\""), LONG);
        Scrape before = settled(); // readiness can be UP a moment before the boot attempt is counted

        LLM.modelsStatus(503); // the provider is lost: the probe demotes DEPENDENCIES, re-initialization fails
        Http.awaitHealth("ready", body -> body.contains("\"failed_phase\":\"DEPENDENCIES\""), LONG);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            connecting.add(WsClient.connectAsync(http));
        }
        List<WsClient> clients = connecting.stream().map(CompletableFuture::join).toList();
        try {
            clients.forEach(c -> assertTrue(WsClient.isSystem(c.next(Duration.ofSeconds(10)), "initializing")));
            LLM.modelsStatus(200); // back: the next on-demand attempt makes Candor ready
            for (WsClient client : clients) {
                JsonNode ready = last(client.until(f -> WsClient.isSystem(f, "ready"), LONG));
                PRIVATE.add(ready.path("payload").path("user_id").asText());
            }
        } finally {
            clients.forEach(WsClient::close);
        }
        Scrape after = awaitClosed(before, CLIENTS);

        assertEquals(CLIENTS, after.delta(before, "candor_gate_waits_seconds_count", "outcome", "ready"));
        assertEquals(0, after.delta(before, "candor_gate_waits_seconds_count", "outcome", "init_failed"));
        assertEquals(CLIENTS, after.delta(before, "candor_connections_setup_total", "outcome", "ready"));
        assertEquals(CLIENTS, after.delta(before, "candor_connections_opened_total"));
        assertEquals(CLIENTS, after.delta(before, "candor_connection_ready_time_seconds_count"));
        assertEquals(1, after.delta(before, "candor_init_attempts_total", "trigger", "on_demand", "outcome", "ready"));
        assertEquals(0, after.delta(before, "candor_init_attempts_total", "trigger", "boot"));
        assertEquals(1, after.delta(before, "candor_init_time_to_ready_seconds_count"));
        assertEquals(1, after.delta(before, "candor_init_duration_seconds_count", "trigger", "on_demand",
                "outcome", "ready"));
        for (String phase : PHASES) {
            assertEquals(1, after.delta(before, "candor_phase_runs_total", "phase", phase, "outcome", "succeeded"),
                    phase);
            assertEquals(1, after.sum("candor_phase_state", "phase", phase, "state", "ready"), phase);
            assertEquals(0, after.sum("candor_phase_state", "phase", phase, "state", "failed"), phase);
        }
        assertTrue(after.delta(before, "candor_phase_runs_total", "phase", "dependencies", "outcome", "failed") >= 0);
        assertEquals(CLIENTS, after.delta(before, "candor_gate_waits_seconds_bucket", "outcome", "ready", "le",
                "30.0"), "every wait is in the 30 s bucket");
    }

    @Test
    @Order(2)
    void aChatAToolCallAProvider503AndABadFrameAreCountedExactly() {
        Scrape before = Scrape.take();
        WsClient client = WsClient.ready();
        String threadId;
        try {
            LLM.enqueue(Script.empty().text("Hel").text("lo there").usage(12, 2));
            client.send(WsClient.userMessage("Hello metrics", null, null));
            JsonNode completed = last(client.runEvents(LONG));
            assertEquals("agent_completed", completed.path("type").asText(), completed.toString());
            threadId = completed.path("thread_id").asText();
            PRIVATE.add(threadId);

            LLM.enqueue(Script.empty().text("Let me check.").toolCall("call_1", "current_time", "{\"zone\":\"UTC\"}")
                    .usage(20, 5), Script.reply("It is noon.").usage(30, 4));
            client.send(WsClient.userMessage("What time is it?", threadId, null));
            List<JsonNode> events = client.runEvents(LONG);
            assertEquals("agent_completed", last(events).path("type").asText(), events.toString());
            assertTrue(events.stream().anyMatch(e -> "tool_completed".equals(e.path("type").asText())), "no tool call");

            for (int i = 0; i < 3; i++) {
                LLM.enqueue(Script.empty().httpError(503, "overloaded", null));
            }
            client.send(WsClient.userMessage("And now?", threadId, null));
            JsonNode failed = last(client.runEvents(LONG));
            assertEquals("LLM_UNAVAILABLE", failed.path("payload").path("error_code").asText(), failed.toString());

            assertTrue(WsClient.isError(client.request("{not json"), "INVALID_JSON"));
        } finally {
            client.close();
        }
        Scrape after = awaitClosed(before, 1);

        assertEquals(3, after.delta(before, "candor_runs_started_total", "cohort", "baseline"));
        assertEquals(2, after.delta(before, "candor_runs_ended_total", "outcome", "completed", "code", "none",
                "cohort", "baseline"));
        assertEquals(1, after.delta(before, "candor_runs_ended_total", "outcome", "failed", "code", "LLM_UNAVAILABLE",
                "cohort", "baseline"));
        assertEquals(3, after.delta(before, "candor_runs_ended_total"));
        assertEquals(2, after.delta(before, "candor_run_first_token_seconds_count", "cohort", "baseline"));
        assertEquals(2, after.delta(before, "candor_run_duration_seconds_count", "outcome", "completed"));
        assertEquals(1, after.delta(before, "candor_run_duration_seconds_count", "outcome", "failed"));
        assertEquals(12 + 20 + 30, after.delta(before, "candor_run_tokens_total", "direction", "input"));
        assertEquals(2 + 5 + 4, after.delta(before, "candor_run_tokens_total", "direction", "output"));
        assertEquals(1, after.delta(before, "candor_tool_calls_total", "tool", "current_time", "outcome", "succeeded"));
        assertEquals(1, after.delta(before, "candor_tool_calls_total"));
        assertEquals(2, after.delta(before, "candor_provider_retries_total", "reason", "unavailable"));
        assertEquals(0, after.delta(before, "candor_provider_rate_limited_total"));
        assertEquals(3, after.delta(before, "candor_frames_in_total", "type", "user_message"));
        assertEquals(1, after.delta(before, "candor_frames_in_total", "type", "invalid"));
        assertEquals(1, after.delta(before, "candor_errors_out_total", "code", "INVALID_JSON"));
        assertEquals(1, after.delta(before, "candor_errors_out_total"));
        assertEquals(1, after.delta(before, "candor_connections_setup_total", "outcome", "ready"));
        assertTrue(after.delta(before, "candor_dependency_latency_seconds_count", "dependency", "database") > 0);
        assertTrue(after.delta(before, "candor_dependency_latency_seconds_count", "dependency", "redis") > 0);
    }

    @Test
    @Order(3)
    void eachReadinessProbeIsCountedByItsAnswer() {
        Scrape before = Scrape.take();
        assertEquals(200, Http.health("ready").statusCode());
        Scrape after = Scrape.take();
        assertEquals(1, after.delta(before, "candor_readiness_checks_total", "outcome", "up"));
        assertEquals(0, after.delta(before, "candor_readiness_checks_total", "outcome", "down"));
    }

    @Test
    @Order(4)
    void noSeriesCarriesAUserIdAThreadIdOrMessageText() {
        PRIVATE.add("Hello metrics");
        PRIVATE.removeIf(String::isEmpty);
        assertFalse(PRIVATE.isEmpty(), "the earlier tests saw no user or thread id");
        List<Scrape.Sample> candor = Scrape.take().samples().stream().filter(s -> s.name().startsWith("candor_"))
                .toList();
        assertFalse(candor.isEmpty());
        candor.forEach(sample -> System.out.println("scrape: " + sample)); // the excerpt, in the test's output file
        for (Scrape.Sample sample : candor) {
            for (String value : sample.labels().values()) {
                assertFalse(PRIVATE.contains(value), sample + " carries " + value);
            }
        }
    }

    /** A scrape once the initialization counters stand still (two scrapes 300 ms apart agree). */
    private static Scrape settled() {
        Scrape[] latest = {Scrape.take()};
        assertTrue(Eventually.within(LONG, () -> {
            Scrape previous = latest[0];
            Eventually.pause(300);
            latest[0] = Scrape.take();
            return latest[0].sum("candor_init_attempts_total") == previous.sum("candor_init_attempts_total")
                    && latest[0].sum("candor_phase_runs_total") == previous.sum("candor_phase_runs_total");
        }), "the initialization counters never stood still");
        return latest[0];
    }

    /** The scrape once {@code closed} more connections have closed since {@code before} (closing is asynchronous). */
    private static Scrape awaitClosed(Scrape before, int closed) {
        Scrape[] latest = {Scrape.take()};
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
            latest[0] = Scrape.take();
            return latest[0].delta(before, "candor_connections_closed_total") >= closed;
        }), "connections did not close");
        assertEquals(closed, latest[0].delta(before, "candor_connections_closed_total"));
        assertEquals(before.sum("candor_connections_open"), latest[0].sum("candor_connections_open"));
        return latest[0];
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }
}
