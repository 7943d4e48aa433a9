package dev.candor.application.agent;

/** A tool call the model asked for; {@code argumentsJson} is the model's JSON text. */
public record ToolCall(String id, String name, String argumentsJson) {
}
