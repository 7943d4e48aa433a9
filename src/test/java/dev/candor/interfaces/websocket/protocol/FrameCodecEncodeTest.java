package dev.candor.interfaces.websocket.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.agent.AgentEvent;
import dev.candor.application.agent.RunEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Every frame the server sends, through the one codec: envelope and payload exactly as docs/protocol.md says. */
class FrameCodecEncodeTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123Z");
    private final FrameCodec codec = new FrameCodec(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void systemMessagesCarryTheirEventAndProgress() {
        JsonObject initializing = encode(new ServerFrame.Initializing("starting", 42, "CACHE", null));
        assertEquals("system_message", initializing.getString("type"));
        assertEquals(NOW.toString(), initializing.getString("timestamp"));
        assertEquals(json("{\"event\":\"initializing\",\"message\":\"starting\",\"progress\":42,\"phase\":\"CACHE\"}"),
                initializing.getJsonObject("payload"));
        assertEquals(json("{\"event\":\"initialization_progress\",\"phase\":\"DATABASE\",\"phases_done\":3,"
                + "\"phases_total\":7,\"progress\":42,\"message\":\"m\"}"),
                encode(new ServerFrame.InitializationProgress("DATABASE", 3, 7, 42, "m", null)).getJsonObject("payload"));
        assertEquals(json("{\"event\":\"initialization_progress\",\"phase\":\"DATABASE\",\"phases_done\":3,"
                + "\"phases_total\":7,\"progress\":42,\"message\":\"m\",\"eta_ms\":1500}"),
                encode(new ServerFrame.InitializationProgress("DATABASE", 3, 7, 42, "m", 1500L)).getJsonObject("payload"));
        assertEquals(json("{\"event\":\"reinitializing\",\"phase\":\"CACHE\",\"progress\":28,\"message\":\"x\","
                + "\"eta_ms\":40}"), encode(new ServerFrame.Reinitializing("CACHE", 28, "x", 40L)).getJsonObject("payload"));
        assertEquals(json("{\"event\":\"ready\",\"message\":\"r\",\"progress\":100,\"connection_id\":\"c\","
                + "\"user_id\":\"u\"}"), encode(new ServerFrame.Ready("r", "c", "u")).getJsonObject("payload"));
    }

    @Test
    void errorsCarryOnlyTheOptionalFieldsThatApply() {
        assertEquals(json("{\"error_code\":\"NOT_READY\",\"message\":\"wait\",\"retryable\":true}"),
                encode(ServerFrame.Error.of(ErrorCode.NOT_READY, "wait", true)).getJsonObject("payload"));
        ServerFrame.Error full = ServerFrame.Error.of(new ErrorReport(ErrorCode.SERVICE_INIT_FAILED, "down", true,
                2000L, "CACHE", "abc")).concerning("run-1", "thread-1", "cm-1");
        assertEquals(json("{\"error_code\":\"SERVICE_INIT_FAILED\",\"message\":\"down\",\"retryable\":true,"
                + "\"phase\":\"CACHE\",\"retry_after_ms\":2000,\"correlation_id\":\"abc\",\"run_id\":\"run-1\","
                + "\"thread_id\":\"thread-1\",\"client_message_id\":\"cm-1\"}"), encode(full).getJsonObject("payload"));
        assertEquals("error", encode(full).getString("type"));
    }

    @Test
    void pongAndDuplicateMessage() {
        assertEquals(json("{}"), encode(new ServerFrame.Pong()).getJsonObject("payload"));
        assertEquals("pong", encode(new ServerFrame.Pong()).getString("type"));
        assertEquals(json("{\"client_message_id\":\"cm\",\"message_id\":\"m\",\"thread_id\":\"t\",\"run_id\":\"r\"}"),
                encode(new ServerFrame.DuplicateMessage("cm", "m", "t", "r")).getJsonObject("payload"));
        assertFalse(encode(new ServerFrame.DuplicateMessage("cm", "m", "t", null)).getJsonObject("payload")
                .containsKey("run_id"));
    }

    @Test
    void everyRunEventHasItsEnvelopeAndPayload() {
        assertRunEvent(new RunEvent.ThreadCreated("t", "Title"), "thread_created",
                "{\"thread_id\":\"t\",\"title\":\"Title\"}");
        assertRunEvent(new RunEvent.AgentStarted("candor", "m1"), "agent_started",
                "{\"agent_name\":\"candor\",\"message_id\":\"m1\"}");
        assertRunEvent(new RunEvent.AgentThinking("hmm"), "agent_thinking", "{\"text\":\"hmm\"}");
        assertRunEvent(new RunEvent.AgentDelta("\"quoted\" <b>"), "agent_delta", "{\"text\":\"\\\"quoted\\\" <b>\"}");
        assertRunEvent(new RunEvent.ToolExecuting("c1", "current_time", null, json("{\"zone\":\"UTC\"}")), "tool_executing",
                "{\"call_id\":\"c1\",\"tool_name\":\"current_time\",\"arguments\":{\"zone\":\"UTC\"}}");
        assertRunEvent(new RunEvent.ToolCompleted("c1", "current_time", null, "noon", 5, false), "tool_completed",
                "{\"call_id\":\"c1\",\"tool_name\":\"current_time\",\"result\":\"noon\",\"duration_ms\":5,"
                        + "\"is_error\":false}");
        assertRunEvent(new RunEvent.ToolApprovalRequired("c2", "files__delete", "files", json("{\"path\":\"a\"}"),
                120000), "tool_approval_required", "{\"call_id\":\"c2\",\"tool_name\":\"files__delete\","
                + "\"server\":\"files\",\"arguments\":{\"path\":\"a\"},\"timeout_ms\":120000}");
        assertRunEvent(new RunEvent.ToolExecuting("c2", "files__delete", "files", json("{}")), "tool_executing",
                "{\"call_id\":\"c2\",\"tool_name\":\"files__delete\",\"server\":\"files\",\"arguments\":{}}");
        assertRunEvent(new RunEvent.ToolCompleted("c2", "files__delete", "files", "gone", 7, false), "tool_completed",
                "{\"call_id\":\"c2\",\"tool_name\":\"files__delete\",\"server\":\"files\",\"result\":\"gone\","
                        + "\"duration_ms\":7,\"is_error\":false}");
        assertRunEvent(new RunEvent.AgentCompleted("m2", "Hello", "stop", 10, 2, 300, "gpt"), "agent_completed",
                "{\"message_id\":\"m2\",\"content\":\"Hello\",\"finish_reason\":\"stop\",\"usage\":{\"input_tokens\":"
                        + "10,\"output_tokens\":2},\"duration_ms\":300,\"model\":\"gpt\"}");
        assertRunEvent(new RunEvent.AgentError("INTERNAL_ERROR", "oops", true, null, "abc"), "agent_error",
                "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"oops\",\"retryable\":true,\"correlation_id\":\"abc\"}");
        assertRunEvent(new RunEvent.AgentError("RATE_LIMITED", "wait", true, 1000L, null), "agent_error",
                "{\"error_code\":\"RATE_LIMITED\",\"message\":\"wait\",\"retryable\":true,\"retry_after_ms\":1000}");
        assertRunEvent(new RunEvent.RunCancelled(null, ""), "run_cancelled",
                "{\"message_id\":null,\"partial_content\":\"\"}");
        assertRunEvent(new RunEvent.RunCancelled("m3", "par"), "run_cancelled",
                "{\"message_id\":\"m3\",\"partial_content\":\"par\"}");
    }

    @Test
    void exactlyTheThreeEndingEventsAreTerminal() {
        assertTrue(new RunEvent.AgentCompleted("m", "c", "stop", 0, 0, 0, "x").terminal());
        assertTrue(new RunEvent.AgentError("LLM_ERROR", "m", true, null, null).terminal());
        assertTrue(new RunEvent.RunCancelled(null, "").terminal());
        assertFalse(new RunEvent.AgentDelta("x").terminal());
        assertFalse(new RunEvent.ToolCompleted("c", "t", null, "r", 1, true).terminal());
    }

    private void assertRunEvent(RunEvent event, String type, String payload) {
        Instant at = Instant.parse("2026-11-25T09:59:59Z");
        JsonObject frame = encode(new ServerFrame.RunEvent(new AgentEvent("run-9", "thread-9", 7, at, event)));
        assertEquals(type, frame.getString("type"));
        assertEquals("run-9", frame.getString("run_id"));
        assertEquals("thread-9", frame.getString("thread_id"));
        assertEquals(7, frame.getInt("seq"));
        assertEquals(at.toString(), frame.getString("timestamp"));
        assertEquals(json(payload), frame.getJsonObject("payload"));
    }

    private JsonObject encode(ServerFrame frame) {
        return json(codec.encode(frame));
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
