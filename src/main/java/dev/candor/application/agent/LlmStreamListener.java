package dev.candor.application.agent;

/**
 * Receives one streamed model turn as it happens. Exactly one of {@link #onReply} and {@link #onError} ends it; after
 * that nothing more is called.
 */
public interface LlmStreamListener {

    /** Reasoning text the model reports, if it does. */
    void onThinking(String text);

    /** The next piece of the answer. */
    void onDelta(String text);

    void onReply(LlmReply reply);

    /** The turn failed: an {@link LlmFailure} says how; any other exception is a fault of the server. */
    void onError(Throwable failure);
}
