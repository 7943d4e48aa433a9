package dev.candor.interfaces.websocket;

import dev.candor.application.chat.AgentEvent;
import dev.candor.application.chat.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The open chat connections, by connection id; the application's {@link EventSink}. */
@ApplicationScoped
public class ChatSessions implements EventSink {

    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

    public void add(String connectionId, Session session) {
        sessions.put(connectionId, session);
    }

    public void remove(String connectionId) {
        sessions.remove(connectionId);
    }

    public Optional<Session> find(String connectionId) {
        return Optional.ofNullable(sessions.get(connectionId));
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }

    @Override
    public void deliver(AgentEvent event) {
        // Agent events are encoded and sent by the endpoint layer once agent runs exist (see docs/protocol.md).
        throw new UnsupportedOperationException("agent runs are not implemented yet");
    }
}
