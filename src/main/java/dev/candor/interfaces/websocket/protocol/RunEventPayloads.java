package dev.candor.interfaces.websocket.protocol;

import dev.candor.application.agent.RunEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** The payload of each run event type on the wire (docs/protocol.md, "Agent run events"). */
final class RunEventPayloads {

    private RunEventPayloads() {
    }

    static JsonObject payload(RunEvent event) {
        JsonObjectBuilder p = Jsonp.PROVIDER.createObjectBuilder();
        if (event instanceof RunEvent.AgentDelta e) {
            p.add("text", e.text());
        } else if (event instanceof RunEvent.AgentThinking e) {
            p.add("text", e.text());
        } else if (event instanceof RunEvent.ThreadCreated e) {
            p.add("thread_id", e.threadId()).add("title", e.title());
        } else if (event instanceof RunEvent.AgentStarted e) {
            p.add("agent_name", e.agentName()).add("message_id", e.messageId());
        } else if (event instanceof RunEvent.ToolApprovalRequired e) {
            p.add("call_id", e.callId()).add("tool_name", e.toolName()).add("server", e.server())
                    .add("arguments", e.arguments()).add("timeout_ms", e.timeoutMs());
        } else if (event instanceof RunEvent.ToolExecuting e) {
            p.add("call_id", e.callId()).add("tool_name", e.toolName());
            server(p, e.server()).add("arguments", e.arguments());
        } else if (event instanceof RunEvent.ToolCompleted e) {
            p.add("call_id", e.callId()).add("tool_name", e.toolName());
            server(p, e.server()).add("result", e.result()).add("duration_ms", e.durationMs())
                    .add("is_error", e.isError());
        } else if (event instanceof RunEvent.AgentCompleted e) {
            p.add("message_id", e.messageId()).add("content", e.content()).add("finish_reason", e.finishReason())
                    .add("usage", Jsonp.PROVIDER.createObjectBuilder().add("input_tokens", e.inputTokens())
                            .add("output_tokens", e.outputTokens()))
                    .add("duration_ms", e.durationMs()).add("model", e.model());
        } else if (event instanceof RunEvent.AgentError e) {
            p.add("error_code", e.errorCode()).add("message", e.message()).add("retryable", e.retryable());
            if (e.retryAfterMs() != null) {
                p.add("retry_after_ms", e.retryAfterMs());
            }
            if (e.correlationId() != null) {
                p.add("correlation_id", e.correlationId());
            }
        } else if (event instanceof RunEvent.RunCancelled e) {
            p.add("message_id", e.messageId() == null ? JsonValue.NULL : Jsonp.PROVIDER.createValue(e.messageId()))
                    .add("partial_content", e.partialContent());
        } else {
            throw new IllegalArgumentException("no wire payload for run event " + event.type());
        }
        return p.build();
    }

    /** {@code server} only for a tool of an MCP server. */
    private static JsonObjectBuilder server(JsonObjectBuilder p, String server) {
        return server == null ? p : p.add("server", server);
    }
}
