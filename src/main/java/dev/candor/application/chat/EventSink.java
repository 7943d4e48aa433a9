package dev.candor.application.chat;

import dev.candor.application.agent.AgentEvent;

/** Port through which agent events leave the application, implemented by the WebSocket session registry. */
public interface EventSink {

    /** Queues the event for the connection; false when that connection is gone. Never blocks on the network. */
    boolean deliver(String connectionId, AgentEvent event);
}
