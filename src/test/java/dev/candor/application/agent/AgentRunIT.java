package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.RecordedRequest;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agent runs over the socket against the OpenAI-protocol stand-in: every word comes from the provider or a tool. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentRunIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final Duration RUN = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.idle-timeout-ms", "1500");
        config.put("candor.llm.first-token-timeout-ms", "5000");
        config.put("candor.llm.retry-backoff-ms", "100");
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
    void relaysTheProviderTextExactlyAndStoresIt() {
        List<String> pieces = List.of("Candor ", "streams ", "every ", "piece: ", "ünïcødé ✓, ", "\"quotes\" ", "<b>&</b>");
        STUB.enqueue(Script.reply(pieces.toArray(String[]::new)).usage(21, 7));

        client.send(WsClient.userMessage("Say something", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("thread_created", "agent_started"), Runs.types(events).subList(0, 2));
        String expected = String.join("", pieces);
        assertEquals(expected, Runs.deltas(events));
        JsonNode completed = Runs.last(events);
        assertEquals("agent_completed", completed.path("type").asText(), events.toString());
        assertEquals(expected, completed.path("payload").path("content").asText());
        assertEquals("stop", completed.path("payload").path("finish_reason").asText());
        assertEquals(21, completed.path("payload").path("usage").path("input_tokens").asInt());
        assertEquals(7, completed.path("payload").path("usage").path("output_tokens").asInt());
        assertEquals("stub-model", completed.path("payload").path("model").asText());
        assertSequential(events);

        String threadId = completed.path("thread_id").asText();
        JsonNode messages = Runs.thread(threadId).path("messages");
        assertEquals("Say something", messages.get(0).path("content").asText());
        assertEquals(expected, messages.get(1).path("content").asText());
        assertEquals(completed.path("payload").path("message_id").asText(), messages.get(1).path("id").asText());
        assertEquals("complete", messages.get(1).path("status").asText());
    }

    @Test
    void runsTwoToolsInProtocolOrderAndFindsAnEarlierMessage() {
        String secret = "pomegranate-" + UUID.randomUUID();
        STUB.enqueue(Script.reply("Noted."));
        client.send(WsClient.userMessage("Remember the word " + secret, null, null));
        assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());

        STUB.enqueue(Script.empty().toolCall("call_1", "search_conversations", "{\"query\":\"" + secret + "\"}")
                        .toolCall("call_2", "current_time", "{\"zone\":\"Europe/Paris\"}"),
                Script.reply("You told me ", "the word."));
        client.send(WsClient.userMessage("Which word did I tell you?", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("thread_created", "agent_started", "tool_executing", "tool_completed", "tool_executing",
                "tool_completed", "agent_thinking", "agent_delta", "agent_delta", "agent_completed"), Runs.types(events));
        assertSequential(events);
        JsonNode search = events.get(3).path("payload");
        assertEquals("call_1", search.path("call_id").asText());
        assertEquals("search_conversations", search.path("tool_name").asText());
        assertFalse(search.path("is_error").asBoolean(), search.toString());
        assertTrue(search.path("result").asText().contains("Remember the word " + secret), search.toString());
        assertEquals(secret, events.get(2).path("payload").path("arguments").path("query").asText());
        JsonNode time = events.get(5).path("payload");
        assertEquals("current_time", time.path("tool_name").asText());
        assertTrue(time.path("result").asText().contains("(Europe/Paris)"), time.toString());
        assertTrue(time.path("duration_ms").asLong() >= 0);

        RecordedRequest second = STUB.chatRequests().get(STUB.chatRequests().size() - 1);
        assertTrue(second.body().contains("call_1") && second.body().contains("Remember the word " + secret),
                "the model did not receive the tool results: " + second.body());
    }

    @Test
    void aFailingToolIsReportedAndTheModelGetsTheError() {
        STUB.enqueue(Script.empty().toolCall("call_9", "current_time", "{\"zone\":\"Mars/Olympus\"}"),
                Script.reply("That zone does not exist."));
        client.send(WsClient.userMessage("Time on Mars?", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        JsonNode completed = Runs.first(events, "tool_completed").path("payload");
        assertTrue(completed.path("is_error").asBoolean(), completed.toString());
        assertTrue(completed.path("result").asText().contains("unknown time zone"), completed.toString());
        assertTrue(STUB.chatRequests().get(1).body().contains("unknown time zone"));
        assertEquals("agent_completed", Runs.last(events).path("type").asText());
    }

    @Test
    void sendsEarlierTurnsOfTheThreadAsContext() {
        STUB.enqueue(Script.reply("Blue is ", "a colour."));
        client.send(WsClient.userMessage("My favourite colour is blue.", null, null));
        String threadId = Runs.last(client.runEvents(RUN)).path("thread_id").asText();

        STUB.enqueue(Script.reply("Blue."));
        client.send(WsClient.userMessage("What is my favourite colour?", threadId, null));
        List<JsonNode> second = client.runEvents(RUN);

        assertFalse(Runs.types(second).contains("thread_created"));
        JsonNode request = STUB.chatRequests().get(1).json();
        List<String> contents = request.path("messages").findValues("content").stream().map(JsonNode::toString)
                .toList();
        String all = String.join("\n", contents);
        assertTrue(all.contains("My favourite colour is blue."), all);
        assertTrue(all.contains("Blue is a colour."), all);
        assertTrue(all.indexOf("My favourite colour is blue.") < all.indexOf("What is my favourite colour?"), all);
    }

    @Test
    void retriesA429BeforeTheFirstTokenWithoutDuplicatingText() {
        STUB.enqueue(Script.empty().httpError(429, "slow down", 1), Script.reply("Once ", "only."));
        long start = System.nanoTime();
        client.send(WsClient.userMessage("Hello", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
        assertEquals("Once only.", Runs.deltas(events));
        assertEquals("Once only.", Runs.last(events).path("payload").path("content").asText());
        assertEquals(2, STUB.chatRequests().size());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1000, "Retry-After: 1 was not honoured");
    }

    @Test
    void aProviderFailureAfterPartialTextIsAnErrorAndNothingIsInvented() {
        STUB.enqueue(Script.reply("Half ", "an ").abortConnection());
        client.send(WsClient.userMessage("Tell me everything", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        JsonNode error = Runs.last(events);
        assertEquals("agent_error", error.path("type").asText(), events.toString());
        assertEquals("LLM_ERROR", error.path("payload").path("error_code").asText());
        assertEquals(1, STUB.chatRequests().size(), "a stream that had started was retried");
        JsonNode messages = Runs.thread(error.path("thread_id").asText()).path("messages");
        assertEquals(1, messages.size(), "only the user message is stored: " + messages);
        assertEquals("Tell me everything", messages.get(0).path("content").asText());
    }

    @Test
    void aStalledStreamEndsWithAnErrorWithinTheIdleTimeout() {
        STUB.enqueue(Script.reply("Thinking...").stall());
        client.send(WsClient.userMessage("Hang", null, null));
        List<JsonNode> events = client.until(f -> "agent_delta".equals(f.path("type").asText()), RUN);
        long afterDelta = System.nanoTime();
        events = client.runEvents(Duration.ofSeconds(5));

        JsonNode error = Runs.last(events);
        assertEquals("agent_error", error.path("type").asText(), events.toString());
        assertEquals("LLM_TIMEOUT", error.path("payload").path("error_code").asText());
        long waited = Duration.ofNanos(System.nanoTime() - afterDelta).toMillis();
        assertTrue(waited < 1500 + 1000, "the idle timeout fired after " + waited + " ms");
        assertTrue(STUB.awaitDisconnect(Duration.ofSeconds(3)), "the stalled upstream request was not aborted");
    }

    @Test
    void stopRunAbortsTheUpstreamStreamAndKeepsThePartialAnswer() {
        Script slow = Script.empty().tokens(300).everyMs(20);
        STUB.enqueue(slow);
        client.send(WsClient.userMessage("Count slowly", null, null));
        List<JsonNode> started = client.until(f -> "agent_delta".equals(f.path("type").asText())
                && f.path("seq").asInt() >= 6, RUN);
        String runId = Runs.last(started).path("run_id").asText();

        client.send("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}");
        List<JsonNode> rest = client.runEvents(RUN);

        JsonNode cancelled = Runs.last(rest);
        assertEquals("run_cancelled", cancelled.path("type").asText(), rest.toString());
        String partial = Runs.deltas(started) + Runs.deltas(rest);
        assertEquals(partial, cancelled.path("payload").path("partial_content").asText());
        assertTrue(!partial.isEmpty() && partial.length() < slow.fullText().length(), "partial: " + partial);
        assertTrue(STUB.awaitDisconnect(Duration.ofSeconds(5)), "the provider did not see the connection closed");
        JsonNode stored = Runs.thread(cancelled.path("thread_id").asText()).path("messages").get(1);
        assertEquals(partial, stored.path("content").asText());
        assertEquals("unfinished", stored.path("status").asText());
        assertEquals(cancelled.path("payload").path("message_id").asText(), stored.path("id").asText());
    }

    @Test
    void aSecondMessageOnABusyThreadIsRejectedAndNotStored() {
        STUB.enqueue(Script.reply("first"), Script.empty().tokens(200).everyMs(20));
        client.send(WsClient.userMessage("Open a thread", null, null));
        String threadId = Runs.last(client.runEvents(RUN)).path("thread_id").asText();
        client.send(WsClient.userMessage("A long answer please", threadId, null));
        String runId = client.until(f -> "agent_delta".equals(f.path("type").asText()), RUN).get(0)
                .path("run_id").asText();

        client.send(WsClient.userMessage("And another", threadId, "cm-42"));
        JsonNode reply = client.until(f -> "error".equals(f.path("type").asText()), RUN).stream()
                .filter(f -> "error".equals(f.path("type").asText())).findFirst().orElseThrow();
        assertTrue(WsClient.isError(reply, "THREAD_BUSY"), reply.toString());
        assertEquals("cm-42", reply.path("payload").path("client_message_id").asText(), reply.toString());
        assertEquals(threadId, reply.path("payload").path("thread_id").asText(), reply.toString());
        String stop = "{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}";
        client.send(stop);
        assertEquals("run_cancelled", Runs.last(client.runEvents(RUN)).path("type").asText());
        JsonNode unknown = client.request(stop);
        assertTrue(WsClient.isError(unknown, "RUN_NOT_FOUND"), unknown.toString());
        assertEquals(runId, unknown.path("payload").path("run_id").asText(), unknown.toString());
        JsonNode messages = Runs.thread(threadId).path("messages");
        assertTrue(messages.toString().contains("A long answer please"));
        assertFalse(messages.toString().contains("And another"), "a rejected message was stored: " + messages);
    }

    @Test
    void aResentClientMessageIdStoresAndRunsNothingAgain() {
        STUB.enqueue(Script.reply("First and only answer."));
        String frame = WsClient.userMessage("Idempotent please", null, "client-" + UUID.randomUUID());
        client.send(frame);
        List<JsonNode> events = client.runEvents(RUN);
        String runId = Runs.last(events).path("run_id").asText();

        JsonNode duplicate = client.request(frame);

        assertEquals("duplicate_message", duplicate.path("type").asText(), duplicate.toString());
        assertEquals(runId, duplicate.path("payload").path("run_id").asText());
        assertEquals(1, STUB.chatRequests().size());
        assertEquals(2, Runs.thread(Runs.last(events).path("thread_id").asText()).path("messages").size());
    }

    private static void assertSequential(List<JsonNode> events) {
        String runId = events.get(0).path("run_id").asText();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).path("seq").asInt(), "seq of " + events.get(i));
            assertEquals(runId, events.get(i).path("run_id").asText());
            assertFalse(events.get(i).path("thread_id").asText().isEmpty());
        }
    }
}
