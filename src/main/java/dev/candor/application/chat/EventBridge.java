package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;

/** Carries agent events to the clients. The WEBSOCKET phase attaches the sink; until then nothing can be published. */
@ApplicationScoped
public class EventBridge {

    private volatile EventSink sink;

    public void attach(EventSink eventSink) {
        this.sink = eventSink;
    }

    public boolean isAttached() {
        return sink != null;
    }

    public void publish(AgentEvent event) {
        EventSink target = sink;
        if (target == null) {
            throw new CandorException(ErrorCode.NOT_READY, "no client transport is attached (phase WEBSOCKET)", true);
        }
        target.deliver(event);
    }
}
