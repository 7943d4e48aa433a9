package dev.candor.application.agent;

import java.util.List;

/** A message of the conversation sent to the model. */
public sealed interface LlmMessage {

    record System(String text) implements LlmMessage {
    }

    record User(String text) implements LlmMessage {
    }

    /** A model turn: its text (may be empty) and the tool calls it asked for. */
    record Assistant(String text, List<ToolCall> toolCalls) implements LlmMessage {
    }

    /** The result of one tool call, returned to the model. */
    record ToolResult(String callId, String toolName, String text, boolean isError) implements LlmMessage {
    }
}
