package dev.candor.application.agent;

/** A streaming model turn in progress. */
public interface LlmStream {

    /** Aborts the upstream request: the provider sees the connection closed. Nothing more reaches the listener. */
    void cancel();
}
