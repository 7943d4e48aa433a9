package dev.candor.application.agent;

/** A streaming model turn in progress. */
public interface LlmStream {

    /**
     * Aborts the turn at whatever stage it is in: the provider sees the connection closed, a scheduled retry never
     * fires, and nothing more reaches the listener. Idempotent.
     */
    void cancel();
}
