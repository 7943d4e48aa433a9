package dev.candor.application.agent;

import jakarta.json.JsonObject;

/**
 * What happened in an agent run, one record per protocol event type. The wire names and the set of terminal events
 * exist only here; the protocol codec turns each record into its frame.
 */
public sealed interface RunEvent {

    /** The protocol's event type, e.g. {@code agent_delta}. */
    String type();

    /** True for the three events that end a run: agent_completed, agent_error and run_cancelled. */
    default boolean terminal() {
        return false;
    }

    /** The run opened a new thread. */
    record ThreadCreated(String threadId, String title) implements RunEvent {
        public String type() {
            return "thread_created";
        }
    }

    /** The run started answering the stored user message {@code messageId}. */
    record AgentStarted(String agentName, String messageId) implements RunEvent {
        public String type() {
            return "agent_started";
        }
    }

    /** Reasoning text the model streamed, or a truthful status of the agent between tool rounds. */
    record AgentThinking(String text) implements RunEvent {
        public String type() {
            return "agent_thinking";
        }
    }

    /** The next piece of the answer, as the model streamed it. */
    record AgentDelta(String text) implements RunEvent {
        public String type() {
            return "agent_delta";
        }
    }

    /**
     * A tool that acts waits for the user's approval ({@code tool_approval}) for at most {@code timeoutMs};
     * {@code server} is its MCP server.
     */
    record ToolApprovalRequired(String callId, String toolName, String server, JsonObject arguments, long timeoutMs)
            implements RunEvent {
        public String type() {
            return "tool_approval_required";
        }
    }

    /**
     * A tool is about to run; {@code arguments} is what the model asked for; {@code server} names its MCP server (null
     * for the tools deployed with Candor).
     */
    record ToolExecuting(String callId, String toolName, String server, JsonObject arguments) implements RunEvent {
        public String type() {
            return "tool_executing";
        }
    }

    /** A tool ran: its real result, or its error with {@code isError} (also when it was refused and did not run). */
    record ToolCompleted(String callId, String toolName, String server, String result, long durationMs,
                         boolean isError) implements RunEvent {
        public String type() {
            return "tool_completed";
        }
    }

    /** The answer, stored as message {@code messageId} before this event was sent. */
    record AgentCompleted(String messageId, String content, String finishReason, int inputTokens, int outputTokens,
                          long durationMs, String model) implements RunEvent {
        public String type() {
            return "agent_completed";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }

    /**
     * The run ended without an answer; nothing was invented. {@code correlationId} names the server log line with the
     * details (INTERNAL_ERROR); {@code retryAfterMs} is set when a wait is known.
     */
    record AgentError(String errorCode, String message, boolean retryable, Long retryAfterMs, String correlationId)
            implements RunEvent {
        public String type() {
            return "agent_error";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }

    /** The run was stopped; the partial answer is stored unfinished as {@code messageId} (null when empty). */
    record RunCancelled(String messageId, String partialContent) implements RunEvent {
        public String type() {
            return "run_cancelled";
        }

        @Override
        public boolean terminal() {
            return true;
        }
    }
}
