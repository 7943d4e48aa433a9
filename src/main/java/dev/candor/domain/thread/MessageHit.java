package dev.candor.domain.thread;

/** A stored message found by a search, with its thread's title. */
public record MessageHit(ChatMessage message, String threadTitle) {
}
