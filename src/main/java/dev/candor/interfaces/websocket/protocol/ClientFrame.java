package dev.candor.interfaces.websocket.protocol;

/** A decoded, validated frame from a client. */
public sealed interface ClientFrame permits ClientFrame.UserMessage, ClientFrame.StopRun, ClientFrame.Resume,
        ClientFrame.Ping, ClientFrame.Reauthenticate, ClientFrame.ToolApproval {

    /** Longest user message, in characters (docs/protocol.md). */
    int MAX_CONTENT = 32_000;

    /** Longest client_message_id, thread_id or run_id accepted. */
    int MAX_ID = 200;

    String type();

    /** {@code user_message}: store the message, then run the agent on the thread (a new one when threadId is null). */
    record UserMessage(String content, String threadId, String clientMessageId) implements ClientFrame {
        public String type() {
            return "user_message";
        }
    }

    /** {@code stop_run}: cancel a run. */
    record StopRun(String runId) implements ClientFrame {
        public String type() {
            return "stop_run";
        }
    }

    /** {@code tool_approval}: the user's answer to {@code tool_approval_required} for call {@code callId}. */
    record ToolApproval(String runId, String callId, boolean approved) implements ClientFrame {
        public String type() {
            return "tool_approval";
        }
    }

    /** {@code resume}: replay a run's events after {@code afterSeq}, then follow it live. */
    record Resume(String runId, long afterSeq) implements ClientFrame {
        public String type() {
            return "resume";
        }
    }

    /** Longest token accepted in {@code reauthenticate}. */
    int MAX_TOKEN = 16_000;

    /** {@code reauthenticate}: a fresh token for the same user, before the connection's current one expires. */
    record Reauthenticate(String token) implements ClientFrame {
        public String type() {
            return "reauthenticate";
        }

        @Override
        public String toString() {
            return "Reauthenticate[token=(" + token.length() + " chars)]"; // never log a credential
        }
    }

    /** {@code ping}: answered with {@code pong}. */
    record Ping() implements ClientFrame {
        public String type() {
            return "ping";
        }
    }
}
