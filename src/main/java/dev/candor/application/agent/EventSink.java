package dev.candor.application.agent;

/** Port through which run events leave the application, implemented by the WebSocket session registry. */
public interface EventSink {

    /** Queues the encoded event for the connection; false when that connection is gone. Never blocks on the network. */
    boolean deliver(String connectionId, EncodedEvent event);
}
