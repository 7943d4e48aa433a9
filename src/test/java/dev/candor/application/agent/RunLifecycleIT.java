package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How runs end: stop at every stage, one terminal event after the thread is free, errors that name their run and
 * message, and provider failures reported without the provider's own text.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RunLifecycleIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final Duration RUN = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.first-token-timeout-ms", "10000");
        config.put("candor.llm.retry-backoff-ms", "100");
        config.put("candor.llm.retries", "2");
        return Deployments.candor(config);
    }

    private WsClient client;

    @BeforeEach
    void connect() {
        STUB.reset();
        client = WsClient.ready();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void stopBeforeTheFirstTokenAbortsTheWaitingRequest() {
        STUB.enqueue(Script.empty().delayMs(8_000).text("too late"));
        client.send(WsClient.userMessage("Answer slowly", null, null));
        String runId = client.until(f -> "agent_started".equals(f.path("type").asText()), RUN).get(1)
                .path("run_id").asText();
        assertTrue(STUB.awaitChatRequests(1, RUN), "the provider was never called");

        long start = System.nanoTime();
        client.send(stop(runId));
        List<JsonNode> rest = client.runEvents(RUN);

        JsonNode cancelled = Runs.last(rest);
        assertEquals("run_cancelled", cancelled.path("type").asText(), rest.toString());
        assertEquals("", cancelled.path("payload").path("partial_content").asText());
        assertTrue(cancelled.path("payload").path("message_id").isNull(), cancelled.toString());
        assertTrue(STUB.awaitDisconnect(Duration.ofSeconds(1)), "the provider still holds the request");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000, "stop took too long");
        assertEquals(1, rest.stream().filter(f -> isTerminal(f)).count(), rest.toString());
    }

    @Test
    void stopDuringARetryBackoffMeansTheRetryNeverHappens() throws InterruptedException {
        STUB.enqueue(Script.empty().httpError(429, "slow down", 3), Script.reply("must never be sent"));
        client.send(WsClient.userMessage("Busy provider", null, null));
        String runId = client.until(f -> "agent_started".equals(f.path("type").asText()), RUN).get(1)
                .path("run_id").asText();
        assertTrue(STUB.awaitChatRequests(1, RUN));

        client.send(stop(runId));
        List<JsonNode> rest = client.runEvents(RUN);
        assertEquals("run_cancelled", Runs.last(rest).path("type").asText(), rest.toString());

        Thread.sleep(3_500); // past the Retry-After: a retry scheduled before the stop would have been sent by now
        assertEquals(1, STUB.chatRequests().size(), "a retry fired after run_cancelled");
    }

    @Test
    void theNextMessageOnTheThreadIsAcceptedAsSoonAsTheTerminalEventArrives() {
        STUB.defaultScript(Script.reply("ok"));
        client.send(WsClient.userMessage("turn 0", null, null));
        String threadId = Runs.last(client.runEvents(RUN)).path("thread_id").asText();
        for (int i = 1; i <= 25; i++) {
            client.send(WsClient.userMessage("turn " + i, threadId, null));
            List<JsonNode> events = client.until(f -> isTerminal(f) || "error".equals(f.path("type").asText()), RUN);
            JsonNode last = events.get(events.size() - 1);
            assertEquals("agent_completed", last.path("type").asText(), "turn " + i + ": " + last);
        }
        assertEquals(52, Runs.thread(threadId).path("messages").size());
    }

    @Test
    void aToolCallWithoutAnIdEndsTheRunWithAnErrorAndFreesTheThread() {
        STUB.enqueue(Script.empty().toolCall(null, "current_time", "{}"), Script.reply("fine"));
        client.send(WsClient.userMessage("time?", null, null));
        List<JsonNode> events = client.runEvents(RUN);
        JsonNode error = Runs.last(events);
        assertEquals("agent_error", error.path("type").asText(), events.toString());
        assertEquals(1, events.stream().filter(RunLifecycleIT::isTerminal).count());
        assertFalse(Runs.types(events).contains("tool_executing"), "a tool ran for a call without an id");

        client.send(WsClient.userMessage("again", error.path("thread_id").asText(), null));
        assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());
    }

    @Test
    void rejectedCredentialsGetTheirOwnCodeAndNoProviderText() {
        STUB.enqueue(Script.empty().httpError(401, "{\"error\":{\"message\":\"sk-secret-detail invalid\"}}", null));
        client.send(WsClient.userMessage("hello", null, null));
        JsonNode error = Runs.last(client.runEvents(RUN));
        JsonNode payload = error.path("payload");
        assertEquals("LLM_AUTH_FAILED", payload.path("error_code").asText(), error.toString());
        assertFalse(payload.path("retryable").asBoolean());
        assertFalse(error.toString().contains("sk-secret-detail"), "the provider's body reached the client");
        assertFalse(payload.path("correlation_id").asText().isEmpty(), error.toString());
        assertEquals(1, STUB.chatRequests().size(), "a 401 was retried");
    }

    @Test
    void aProviderOutageIsReportedWithoutItsErrorBody() {
        STUB.defaultScript(Script.empty().httpError(503, "{\"error\":\"internal-host-17 overloaded\"}", null));
        client.send(WsClient.userMessage("hello", null, null));
        JsonNode error = Runs.last(client.runEvents(RUN));
        assertEquals("LLM_UNAVAILABLE", error.path("payload").path("error_code").asText(), error.toString());
        assertFalse(error.toString().contains("internal-host-17"), "the provider's body reached the client");
        assertTrue(error.path("payload").path("message").asText().contains("HTTP 503"), error.toString());
    }

    @Test
    void nulInTheModelsTextIsRelayedAndStoredAsTheReplacementCharacter() {
        STUB.enqueue(Script.reply("a\u0000b", "c"));
        client.send(WsClient.userMessage("nul please", null, null));
        List<JsonNode> events = client.runEvents(RUN);
        JsonNode completed = Runs.last(events);
        assertEquals("agent_completed", completed.path("type").asText(), events.toString());
        assertEquals("a\uFFFDbc", Runs.deltas(events));
        assertEquals("a\uFFFDbc", completed.path("payload").path("content").asText());
        JsonNode stored = Runs.thread(completed.path("thread_id").asText()).path("messages").get(1);
        assertEquals("a\uFFFDbc", stored.path("content").asText());
    }

    private static boolean isTerminal(JsonNode frame) {
        String type = frame.path("type").asText();
        return "agent_completed".equals(type) || "agent_error".equals(type) || "run_cancelled".equals(type);
    }

    private static String stop(String runId) {
        return "{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}";
    }
}
