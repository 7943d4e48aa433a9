package dev.candor.application.chat;

/** Port through which agent events leave the application, implemented by the WebSocket session registry. */
public interface EventSink {

    /** Delivers the event to its connection, if that connection is still open. Never blocks on the network. */
    void deliver(AgentEvent event);
}
