package dev.candor.application.chat;

/** What a user_message led to: a new run, or nothing new because its client_message_id was seen before. */
public sealed interface TurnResult {

    record Started(String runId, String threadId) implements TurnResult {
    }

    record Duplicate(String clientMessageId, String messageId, String threadId, String runId) implements TurnResult {
    }
}
