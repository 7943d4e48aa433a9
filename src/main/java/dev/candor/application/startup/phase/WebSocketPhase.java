package dev.candor.application.startup.phase;

import dev.candor.application.agent.EventBridge;
import dev.candor.application.agent.EventSink;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** WEBSOCKET: wires the WebSocket session registry into the event bridge. Agent work may start only after this. */
@ApplicationScoped
public class WebSocketPhase implements StartupPhase {

    @Inject
    Instance<EventSink> sinks;

    @Inject
    EventBridge bridge;

    @Override
    public Phase phase() {
        return Phase.WEBSOCKET;
    }

    @Override
    public void run() {
        if (!sinks.isResolvable()) {
            throw new IllegalStateException("expected exactly one EventSink bean (the WebSocket session registry), found "
                    + (sinks.isAmbiguous() ? "several" : "none"));
        }
        bridge.attach(sinks.get());
    }
}
