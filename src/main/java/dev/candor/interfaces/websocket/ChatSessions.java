package dev.candor.interfaces.websocket;

import dev.candor.application.agent.EncodedEvent;
import dev.candor.application.agent.EventSink;
import dev.candor.application.startup.PhaseEvent;
import dev.candor.application.startup.PhaseState;
import dev.candor.application.startup.StartupService;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import dev.candor.interfaces.websocket.protocol.FrameCodec;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open chat connections of this server, by connection id. Forwards startup progress to the connections that wait
 * for it, pings every connection at candor.ws.ping-interval-ms, and is the application's {@link EventSink}.
 */
@ApplicationScoped
public class ChatSessions implements EventSink {

    @Inject
    CandorConfig config;

    @Inject
    StartupService startup;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private static final Logger LOG = Logger.getLogger(ChatSessions.class.getName());

    private final ConcurrentMap<String, ChatConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final FrameCodec codec = new FrameCodec(Clock.systemUTC());
    private final Queue<Runnable> ordered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private ScheduledFuture<?> pings;

    void startPings(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long interval = config.webSocket().pingInterval().toMillis();
        if (interval > 0) {
            pings = scheduler.scheduleAtFixedRate(this::pingAll, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stopPings() {
        if (pings != null) {
            pings.cancel(false);
        }
    }

    /** Registers a connection unless the server already holds candor.ws.max-connections. */
    boolean tryAdd(ChatConnection connection) {
        if (count.incrementAndGet() > config.webSocket().maxConnections()) {
            count.decrementAndGet();
            return false;
        }
        connections.put(connection.id(), connection);
        return true;
    }

    void remove(String connectionId) {
        if (connections.remove(connectionId) != null) {
            count.decrementAndGet();
        }
    }

    public Optional<ChatConnection> find(String connectionId) {
        return Optional.ofNullable(connections.get(connectionId));
    }

    public Collection<ChatConnection> all() {
        return connections.values();
    }

    public int size() {
        return count.get();
    }

    public FrameCodec codec() {
        return codec;
    }

    /**
     * Forwards a completed phase to the connections waiting for startup: encoded once, sent off the orchestrator's
     * thread, in order with the other initialization frames (see {@link #inOrder}).
     */
    void onPhase(@Observes PhaseEvent event) {
        if (event.state() != PhaseState.READY) {
            return;
        }
        String frame = codec.encode(new ServerFrame.InitializationProgress(event.phase().name(), event.phasesDone(),
                event.phasesTotal(), event.progress(), event.phase() + " ready in " + event.durationMs() + " ms",
                ChatConnection.eta(startup.report())));
        inOrder(() -> {
            for (ChatConnection connection : connections.values()) {
                if (connection.waiting()) {
                    connection.progress(event.phasesDone(), frame);
                }
            }
        });
    }

    /**
     * Runs initialization fan-out one task at a time, in submission order, on a managed thread. Progress of the last
     * phase is submitted before startup's attempt returns, so a connection's {@code ready} (submitted after) never
     * overtakes it.
     */
    void inOrder(Runnable task) {
        ordered.add(task);
        if (draining.compareAndSet(false, true)) {
            scheduler.execute(this::drainOrdered);
        }
    }

    private void drainOrdered() {
        do {
            Runnable task;
            while ((task = ordered.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "initialization fan-out task failed: " + e, e);
                }
            }
            draining.set(false);
        } while (!ordered.isEmpty() && draining.compareAndSet(false, true));
    }

    @Override
    public boolean deliver(String connectionId, EncodedEvent event) {
        ChatConnection connection = connections.get(connectionId);
        if (connection == null || connection.state() == ChatConnection.State.CLOSED) {
            return false;
        }
        connection.sendEncoded(event.frame());
        return true;
    }

    private void pingAll() {
        ByteBuffer payload = ByteBuffer.allocate(0);
        for (ChatConnection connection : connections.values()) {
            try {
                connection.session().getAsyncRemote().sendPing(payload.duplicate());
            } catch (Exception e) {
                // A connection that cannot take a ping is closing; its close handler removes it.
            }
        }
    }
}
