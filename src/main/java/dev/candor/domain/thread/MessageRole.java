package dev.candor.domain.thread;

/** Who wrote a message. */
public enum MessageRole {
    USER, ASSISTANT
}
