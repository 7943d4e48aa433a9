package dev.candor.interfaces.websocket.protocol;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.agent.AgentEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/** A frame the server sends. Each knows its wire type and payload; {@link FrameCodec} adds the envelope. */
public sealed interface ServerFrame permits ServerFrame.Initializing, ServerFrame.InitializationProgress,
        ServerFrame.Reinitializing, ServerFrame.Ready, ServerFrame.Reauthenticated, ServerFrame.Error, ServerFrame.Pong, ServerFrame.RunEvent, ServerFrame.DuplicateMessage {

    String type();

    JsonObject payload();

    /** When the frame's content happened; null means now. */
    default Instant timestamp() {
        return null;
    }

    /**
     * Sent first on every connection: real progress so far and the phase being worked on. {@code etaMs}, the estimated
     * time until every phase is ready, is null when the server has no estimate.
     */
    record Initializing(String message, int progress, String phase, Long etaMs) implements ServerFrame {
        public String type() {
            return "system_message";
        }

        public JsonObject payload() {
            return withEta(Jsonp.PROVIDER.createObjectBuilder().add("event", "initializing").add("message", message)
                    .add("progress", progress).add("phase", phase), etaMs).build();
        }
    }

    /** One per phase that completes while the client waits. */
    record InitializationProgress(String phase, int phasesDone, int phasesTotal, int progress, String message,
                                  Long etaMs) implements ServerFrame {
        public String type() {
            return "system_message";
        }

        public JsonObject payload() {
            return withEta(Jsonp.PROVIDER.createObjectBuilder().add("event", "initialization_progress")
                    .add("phase", phase).add("phases_done", phasesDone).add("phases_total", phasesTotal)
                    .add("progress", progress).add("message", message), etaMs).build();
        }
    }

    /** A dependency was lost after {@code ready}: its phase is being initialized again; progress is real. */
    record Reinitializing(String phase, int progress, String message, Long etaMs) implements ServerFrame {
        public String type() {
            return "system_message";
        }

        public JsonObject payload() {
            return withEta(Jsonp.PROVIDER.createObjectBuilder().add("event", "reinitializing").add("phase", phase)
                    .add("progress", progress).add("message", message), etaMs).build();
        }
    }

    /** A {@code reauthenticate} was accepted: the connection now lives until the fresh token expires. */
    record Reauthenticated(long expiresInSeconds) implements ServerFrame {
        public String type() {
            return "system_message";
        }

        public JsonObject payload() {
            return Jsonp.PROVIDER.createObjectBuilder().add("event", "reauthenticated")
                    .add("message", "signed in again").add("expires_in", expiresInSeconds).build();
        }
    }

    private static JsonObjectBuilder withEta(JsonObjectBuilder payload, Long etaMs) {
        return etaMs == null ? payload : payload.add("eta_ms", etaMs);
    }

    /** Every phase is ready: the connection may now send user messages. */
    record Ready(String message, String connectionId, String userId) implements ServerFrame {
        public String type() {
            return "system_message";
        }

        public JsonObject payload() {
            return Jsonp.PROVIDER.createObjectBuilder().add("event", "ready").add("message", message).add("progress", 100)
                    .add("connection_id", connectionId).add("user_id", userId).build();
        }
    }

    /**
     * An error. Optional fields are null where they do not apply: {@code phase} and {@code retryAfterMs} of
     * initialization and limits, {@code correlationId} of INTERNAL_ERROR and provider failures, and the ids of the run
     * or message the error concerns.
     */
    record Error(ErrorCode code, String message, boolean retryable, String phase, Long retryAfterMs,
                 String correlationId, String runId, String threadId, String clientMessageId) implements ServerFrame {

        public static Error of(ErrorCode code, String message, boolean retryable) {
            return new Error(code, message, retryable, null, null, null, null, null, null);
        }

        public static Error of(ErrorReport report) {
            return new Error(report.code(), report.message(), report.retryable(), report.phase(), report.retryAfterMs(),
                    report.correlationId(), null, null, null);
        }

        /** The same error, naming the run, thread and client message it concerns (each may be null). */
        public Error concerning(String run, String thread, String clientMessage) {
            return new Error(code, message, retryable, phase, retryAfterMs, correlationId, run, thread, clientMessage);
        }

        public String type() {
            return "error";
        }

        public JsonObject payload() {
            JsonObjectBuilder payload = Jsonp.PROVIDER.createObjectBuilder().add("error_code", code.name())
                    .add("message", message).add("retryable", retryable);
            addIfSet(payload, "phase", phase);
            if (retryAfterMs != null) {
                payload.add("retry_after_ms", retryAfterMs);
            }
            addIfSet(payload, "correlation_id", correlationId);
            addIfSet(payload, "run_id", runId);
            addIfSet(payload, "thread_id", threadId);
            addIfSet(payload, "client_message_id", clientMessageId);
            return payload.build();
        }

        private static void addIfSet(JsonObjectBuilder payload, String name, String value) {
            if (value != null) {
                payload.add(name, value);
            }
        }
    }

    /** The answer to {@code ping}. */
    record Pong() implements ServerFrame {
        public String type() {
            return "pong";
        }

        public JsonObject payload() {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
    }

    /** An event of an agent run; the envelope carries run_id, thread_id, seq and the time it happened. */
    record RunEvent(AgentEvent event) implements ServerFrame {
        public String type() {
            return event.event().type();
        }

        public JsonObject payload() {
            return RunEventPayloads.payload(event.event());
        }

        @Override
        public Instant timestamp() {
            return event.timestamp();
        }
    }

    /** A user_message whose client_message_id was already accepted: nothing new is stored or run. */
    record DuplicateMessage(String clientMessageId, String messageId, String threadId, String runId)
            implements ServerFrame {
        public String type() {
            return "duplicate_message";
        }

        public JsonObject payload() {
            JsonObjectBuilder payload = Jsonp.PROVIDER.createObjectBuilder().add("client_message_id", clientMessageId)
                    .add("message_id", messageId).add("thread_id", threadId);
            if (runId != null) {
                payload.add("run_id", runId);
            }
            return payload.build();
        }
    }
}
