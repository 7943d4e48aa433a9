package dev.candor.infrastructure.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.McpRecordingProxy;
import dev.candor.testsupport.McpServers;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.RecordedRequest;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tools of a real MCP server (@modelcontextprotocol/server-everything), over stdio ({@code everything}) and
 * streamable HTTP ({@code web}), asked for by the stand-in model; an optional server that cannot start
 * ({@code ghost}) is left out. {@code everything}'s echo needs approval by configuration, its
 * toggle-simulated-logging by its annotations (not read-only).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpToolsIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final int HTTP_PORT = Ports.free();
    private static Process http = McpServers.startHttp(HTTP_PORT);
    private static final McpRecordingProxy PROXY = McpRecordingProxy.to(URI.create("http://127.0.0.1:" + HTTP_PORT
            + "/mcp"));
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final long APPROVAL_MS = 3_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String config = """
                {"servers": [
                  {"name": "everything", "transport": "stdio", "command": "%s", "args": ["stdio"], "required": true,
                   "approval_timeout_ms": %d, "tools": {"echo": {"approval": "required"}}},
                  {"name": "web", "transport": "http", "url": "http://127.0.0.1:%d/mcp", "required": true,
                   "headers": {"X-Test-Token": "${CANDOR_TEST_MCP_TOKEN}"}},
                  {"name": "ops", "transport": "http", "url": "http://127.0.0.1:%d/mcp", "groups": ["operators"]},
                  {"name": "plain", "transport": "http", "url": "%s"},
                  {"name": "audited", "transport": "http", "url": "%s", "user_header": "X-Candor-User"},
                  {"name": "ghost", "transport": "stdio", "command": "/nonexistent/mcp-server"}
                ]}
                """.formatted(McpServers.everything(), APPROVAL_MS, HTTP_PORT, HTTP_PORT, PROXY.url("/plain"),
                        PROXY.url("/audited"));
        Map<String, String> settings = new HashMap<>(Deployments.withStub(STUB));
        settings.put("candor.mcp.config", McpServers.configFile(config));
        settings.put("CANDOR_TEST_MCP_TOKEN", "a-header-secret");
        settings.put("candor.agent.tool-timeout-ms", "20000");
        return Deployments.candor(settings);
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

    @AfterAll
    static void stopServers() {
        McpServers.stop(http);
        PROXY.close();
        STUB.close();
    }

    @Test
    void offersTheServersToolsAndLeavesOutTheOneThatCannotStart() {
        STUB.enqueue(Script.reply("Nothing to do."));
        client.send(WsClient.userMessage("Which tools do you have?", null, null));
        assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());

        List<String> offered = new ArrayList<>();
        STUB.chatRequests().get(0).json().path("tools").forEach(t -> offered.add(t.path("function").path("name")
                .asText()));
        System.out.println("tools offered to the model: " + offered.stream().sorted().toList());
        assertTrue(offered.containsAll(List.of("everything__get-sum", "everything__echo", "web__get-sum", "web__echo",
                "search_conversations", "current_time")), offered.toString());
        assertFalse(offered.stream().anyMatch(name -> name.startsWith("ghost")), offered.toString());
        assertFalse(offered.stream().anyMatch(name -> name.startsWith("ops__")), "tools of a group the user is not in: "
                + offered);
        String ready = Http.awaitHealth("ready", b -> b.contains("mcp_servers_left_out"), Duration.ofSeconds(10));
        assertTrue(ready.startsWith("{\"status\":\"UP\"") && ready.contains("\"mcp_servers_left_out\":\"ghost\""),
                ready);
    }

    @Test
    void callsAToolOverStdioAndTheRealResultReachesTheModel() {
        STUB.enqueue(Script.empty().toolCall("call_sum", "everything__get-sum", "{\"a\":19,\"b\":23}"),
                Script.reply("It is 42."));
        client.send(WsClient.userMessage("What is 19 + 23?", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("thread_created", "agent_started", "tool_executing", "tool_completed", "agent_thinking",
                "agent_delta", "agent_completed"), Runs.types(events), events.toString());
        JsonNode executing = events.get(2).path("payload");
        assertEquals("everything__get-sum", executing.path("tool_name").asText());
        assertEquals("everything", executing.path("server").asText());
        assertEquals(19, executing.path("arguments").path("a").asInt());
        JsonNode completed = events.get(3).path("payload");
        assertEquals("everything", completed.path("server").asText());
        assertFalse(completed.path("is_error").asBoolean(), completed.toString());
        assertEquals("The sum of 19 and 23 is 42.", completed.path("result").asText());
        assertTrue(lastRequest().body().contains("The sum of 19 and 23 is 42."), lastRequest().body());
    }

    @Test
    void callsAToolOverStreamableHttp() {
        STUB.enqueue(Script.empty().toolCall("call_echo", "web__echo", "{\"message\":\"över HTTP ✓\"}"),
                Script.reply("Echoed."));
        client.send(WsClient.userMessage("Echo something", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        JsonNode completed = Runs.first(events, "tool_completed").path("payload");
        assertEquals("web", completed.path("server").asText());
        assertFalse(completed.path("is_error").asBoolean(), completed.toString());
        assertEquals("Echo: över HTTP ✓", completed.path("result").asText());
        assertTrue(lastRequest().body().contains("Echo: över HTTP"), lastRequest().body());
        assertEquals("agent_completed", Runs.last(events).path("type").asText());
    }

    @Test
    void theUsersIdReachesOnlyTheServerConfiguredToReceiveIt() {
        STUB.enqueue(Script.empty().toolCall("call_p", "plain__echo", "{\"message\":\"p\"}")
                        .toolCall("call_a", "audited__echo", "{\"message\":\"a\"}"), Script.reply("Both echoed."));
        client.send(WsClient.userMessage("Echo on both", null, null));
        assertEquals("agent_completed", Runs.last(client.runEvents(RUN)).path("type").asText());

        List<McpRecordingProxy.Call> calls = PROXY.calls();
        assertEquals(List.of("/plain", "/audited"), calls.stream().map(McpRecordingProxy.Call::path).toList());
        assertEquals(null, calls.get(0).header("X-Candor-User"), calls.get(0).headers().toString());
        assertEquals("anonymous", calls.get(1).header("X-Candor-User")); // candor.auth.mode=none: the local user
        assertFalse(calls.get(0).headers().values().toString().contains("anonymous"),
                calls.get(0).headers().toString());
    }

    @Test
    void aServerThatDroppedIsReconnectedAtTheNextCall() {
        McpServers.stop(http);
        STUB.enqueue(Script.empty().toolCall("call_down", "web__echo", "{\"message\":\"down\"}"),
                Script.reply("It is down."));
        client.send(WsClient.userMessage("Echo while the server is down", null, null));
        JsonNode failed = Runs.first(client.runEvents(RUN), "tool_completed").path("payload");
        assertTrue(failed.path("is_error").asBoolean(), failed.toString());
        assertEquals("error: the MCP server 'web' could not be reached; the tool did not answer (Candor reconnects at "
                + "the next call)", failed.path("result").asText());

        http = McpServers.startHttp(HTTP_PORT);
        STUB.enqueue(Script.empty().toolCall("call_back", "web__echo", "{\"message\":\"back\"}"),
                Script.reply("It is back."));
        client.send(WsClient.userMessage("Echo once it is back", null, null));
        JsonNode completed = Runs.first(client.runEvents(RUN), "tool_completed").path("payload");
        assertFalse(completed.path("is_error").asBoolean(), completed.toString());
        assertEquals("Echo: back", completed.path("result").asText());
    }

    @Test
    void aToolErrorOfTheServerReachesTheModelAsAnError() {
        STUB.enqueue(Script.empty().toolCall("call_bad", "web__get-sum", "{\"a\":\"not a number\"}"),
                Script.reply("That failed."));
        client.send(WsClient.userMessage("Add nonsense", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        JsonNode completed = Runs.first(events, "tool_completed").path("payload");
        assertTrue(completed.path("is_error").asBoolean(), completed.toString());
        assertTrue(completed.path("result").asText().startsWith("error: "), completed.toString());
        assertEquals("agent_completed", Runs.last(events).path("type").asText());
    }

    @Test
    void aToolOfAGroupTheUserIsNotInDoesNotRun() {
        STUB.enqueue(Script.empty().toolCall("call_ops", "ops__echo", "{\"message\":\"secret\"}"),
                Script.reply("Not allowed."));
        client.send(WsClient.userMessage("Use the operators' echo", null, null));
        List<JsonNode> events = client.runEvents(RUN);

        JsonNode completed = Runs.first(events, "tool_completed").path("payload");
        assertTrue(completed.path("is_error").asBoolean(), completed.toString());
        assertEquals("error: there is no tool named 'ops__echo'", completed.path("result").asText());
        assertFalse(lastRequest().body().contains("Echo: secret"), lastRequest().body());
    }

    @Test
    void anApprovedCallRuns() {
        STUB.enqueue(Script.empty().toolCall("call_ok", "everything__echo", "{\"message\":\"approved\"}"),
                Script.reply("Done."));
        client.send(WsClient.userMessage("Echo after asking", null, null));
        JsonNode asked = awaitApprovalRequest();
        assertEquals("everything__echo", asked.path("payload").path("tool_name").asText());
        assertEquals("everything", asked.path("payload").path("server").asText());
        assertEquals("approved", asked.path("payload").path("arguments").path("message").asText());
        assertEquals(APPROVAL_MS, asked.path("payload").path("timeout_ms").asLong());

        client.send(approval(asked.path("run_id").asText(), "call_ok", true));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("tool_executing", "tool_completed", "agent_thinking", "agent_delta", "agent_completed"),
                Runs.types(events), events.toString());
        assertEquals("Echo: approved", events.get(1).path("payload").path("result").asText());
        assertTrue(lastRequest().body().contains("Echo: approved"), lastRequest().body());
    }

    @Test
    void aRefusedCallDoesNotRunAndTheModelLearnsItWasRefused() {
        // not read-only by its own annotations: approval needed without any configuration
        STUB.enqueue(Script.empty().toolCall("call_no", "everything__toggle-simulated-logging", "{}"),
                Script.reply("Understood."));
        client.send(WsClient.userMessage("Toggle logging", null, null));
        JsonNode asked = awaitApprovalRequest();
        assertEquals("everything__toggle-simulated-logging", asked.path("payload").path("tool_name").asText());

        client.send(approval(asked.path("run_id").asText(), "call_no", false));
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("tool_completed", "agent_thinking", "agent_delta", "agent_completed"), Runs.types(events),
                events.toString());
        JsonNode refused = events.get(0).path("payload");
        assertTrue(refused.path("is_error").asBoolean());
        assertEquals("error: the user refused this call; the tool did not run", refused.path("result").asText());
        assertTrue(lastRequest().body().contains("the user refused this call"), lastRequest().body());
    }

    @Test
    void anUnansweredApprovalTimesOutAndTheToolDoesNotRun() {
        STUB.enqueue(Script.empty().toolCall("call_late", "everything__echo", "{\"message\":\"never\"}"),
                Script.reply("No answer."));
        client.send(WsClient.userMessage("Echo, but nobody answers", null, null));
        JsonNode asked = awaitApprovalRequest();
        long askedAt = System.nanoTime();
        List<JsonNode> events = client.runEvents(RUN);

        assertTrue(Duration.ofNanos(System.nanoTime() - askedAt).toMillis() >= APPROVAL_MS - 200, "timed out early");
        assertEquals(List.of("tool_completed", "agent_thinking", "agent_delta", "agent_completed"), Runs.types(events),
                events.toString());
        assertEquals("error: the user did not approve this call within 3 s; the tool did not run",
                events.get(0).path("payload").path("result").asText());
        client.send(approval(asked.path("run_id").asText(), "call_late", true));
        JsonNode late = client.next(Duration.ofSeconds(5));
        assertTrue(WsClient.isError(late, "APPROVAL_NOT_PENDING"), late.toString());
        assertFalse(lastRequest().body().contains("Echo: never"), lastRequest().body());
    }

    @Test
    void stopWhileWaitingForApprovalCancelsTheRunAndNothingRuns() {
        STUB.enqueue(Script.empty().toolCall("call_stop", "everything__echo", "{\"message\":\"stopped\"}"),
                Script.reply("must never be asked"));
        client.send(WsClient.userMessage("Echo, then stop", null, null));
        JsonNode asked = awaitApprovalRequest();
        String runId = asked.path("run_id").asText();

        client.send("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}");
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals(List.of("run_cancelled"), Runs.types(events), events.toString());
        client.send(approval(runId, "call_stop", true));
        JsonNode late = client.next(Duration.ofSeconds(5));
        assertTrue(WsClient.isError(late, "APPROVAL_NOT_PENDING"), late.toString());
        assertEquals(runId, late.path("payload").path("run_id").asText(), late.toString());
        assertEquals(1, STUB.chatRequests().size(), "the model was asked again after the stop");
    }

    @Test
    void stopDuringALongMcpCallCancelsTheRun() {
        STUB.enqueue(Script.empty().toolCall("call_long", "web__trigger-long-running-operation",
                "{\"duration\":15,\"steps\":3}"), Script.reply("must never be asked"));
        client.send(WsClient.userMessage("Run something long", null, null));
        JsonNode executing = client.until(f -> "tool_executing".equals(f.path("type").asText()), RUN)
                .stream().filter(f -> "tool_executing".equals(f.path("type").asText())).findFirst().orElseThrow();

        long start = System.nanoTime();
        client.send("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + executing.path("run_id").asText() + "\"}}");
        List<JsonNode> events = client.runEvents(RUN);

        assertEquals("run_cancelled", Runs.last(events).path("type").asText(), events.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000, "the stop waited for the tool");
        assertEquals(1, STUB.chatRequests().size());
    }

    private JsonNode awaitApprovalRequest() {
        List<JsonNode> frames = client.until(f -> "tool_approval_required".equals(f.path("type").asText()), RUN);
        return frames.get(frames.size() - 1);
    }

    private static String approval(String runId, String callId, boolean approved) {
        return "{\"type\":\"tool_approval\",\"payload\":{\"run_id\":\"" + runId + "\",\"call_id\":\"" + callId
                + "\",\"approved\":" + approved + "}}";
    }

    private static RecordedRequest lastRequest() {
        List<RecordedRequest> requests = STUB.chatRequests();
        return requests.get(requests.size() - 1);
    }
}
