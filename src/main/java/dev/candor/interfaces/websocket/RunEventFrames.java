package dev.candor.interfaces.websocket;

import dev.candor.application.agent.AgentEvent;
import dev.candor.application.agent.RunEventEncoder;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Encodes run events with the one protocol codec, for live sending and for the run's stream alike. */
@ApplicationScoped
public class RunEventFrames implements RunEventEncoder {

    @Inject
    ChatSessions sessions;

    @Override
    public String encode(AgentEvent event) {
        return sessions.codec().encode(new ServerFrame.RunEvent(event));
    }

    @Override
    public Optional<String> deltaText(String frame) {
        return sessions.codec().deltaText(frame);
    }
}
