package dev.candor.interfaces.websocket;

import dev.candor.application.ErrorCode;
import dev.candor.application.limit.UsageLimits;
import dev.candor.application.metrics.ConnectionMetrics;
import dev.candor.application.startup.StartupReport;
import dev.candor.interfaces.websocket.protocol.FrameCodec;
import dev.candor.interfaces.websocket.protocol.FrameException;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import dev.candor.infrastructure.security.Identity;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** One open chat connection: who it is, whether it is ready, and the frames it sends. */
public final class ChatConnection {

    /**
     * Lifecycle of a connection. Only READY connections may start agent work. A READY connection whose dependency is
     * lost is REINITIALIZING until every phase is ready again.
     */
    public enum State { INITIALIZING, READY, REINITIALIZING, CLOSED }

    private final String id;
    private volatile Identity identity;
    private ScheduledFuture<?> expiry; // guarded by this
    private final Session session;
    private final FrameSender sender;
    private final FrameCodec codec;
    private volatile State state = State.INITIALIZING;
    private int phasesReported = -1;

    private final StringBuilder partialText = new StringBuilder();
    private long partialBytes;
    private volatile UsageLimits.Slot slot = UsageLimits.Slot.NONE;
    private final ConnectionMetrics metrics;
    private final long openedNanos = System.nanoTime();
    private final AtomicBoolean setUp = new AtomicBoolean();

    /** {@code identity} is null while the handshake's credential could not be checked yet (Candor was starting). */
    ChatConnection(String id, Identity identity, Session session, FrameCodec codec, int maxQueuedFrames,
                   long maxQueuedBytes, ConnectionMetrics metrics) {
        this.id = id;
        this.metrics = metrics;
        this.identity = identity;
        this.session = session;
        this.codec = codec;
        this.sender = new FrameSender(session, maxQueuedFrames, maxQueuedBytes);
    }

    /** The connection's place in the per-user and per-address connection limits, freed when it closes. */
    void holdSlot(UsageLimits.Slot held) {
        slot = held;
    }

    void releaseSlot() {
        slot.release();
    }

    public String id() {
        return id;
    }

    /** The authenticated user's id; null only before a credential kept from the handshake is checked. */
    public String userId() {
        Identity current = identity;
        return current != null ? current.userId() : null;
    }

    public Identity identity() {
        return identity;
    }

    /**
     * Takes {@code fresh} as the connection's identity and arms the close at its expiry (cancelling the previous one).
     * {@code onExpiry} runs when the identity expires without having been replaced.
     */
    synchronized void authenticated(Identity fresh, ScheduledExecutorService scheduler, Runnable onExpiry) {
        if (state == State.CLOSED) {
            return; // nothing to guard any more (closed() runs its cleanup under this lock after setting CLOSED)
        }
        identity = fresh;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        if (!fresh.expiresAt().equals(Instant.MAX)) {
            long delay = Math.max(0, Duration.between(Instant.now(), fresh.expiresAt()).toMillis());
            expiry = scheduler.schedule(() -> {
                if (identity == fresh) {
                    onExpiry.run();
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    public State state() {
        return state;
    }

    Session session() {
        return session;
    }

    public void send(ServerFrame frame) {
        counted(frame);
        sender.send(codec.encode(frame));
    }

    /** A frame encoded once for every connection it goes to (run events, progress). */
    public void sendEncoded(String frame) {
        sender.send(frame);
    }

    void sendThenClose(ServerFrame frame, CloseReason reason) {
        counted(frame);
        state = State.CLOSED;
        sender.sendThenClose(codec.encode(frame), reason);
    }

    /**
     * The first frame: real progress at the moment of connecting. The report is read under this connection's lock,
     * so a phase completing meanwhile is either in it or reported by {@link #progress} afterwards.
     */
    synchronized void initializing(Supplier<StartupReport> reports) {
        StartupReport report = reports.get();
        phasesReported = report.phasesDone();
        String phase = report.current().map(p -> p.phase().name()).orElse("FINALIZE");
        String message = report.complete() ? "Candor is ready" : "Candor is starting: phase " + phase + " ("
                + report.phasesDone() + " of " + report.phases().size() + " done)";
        send(new ServerFrame.Initializing(message, report.progress(), phase, report.complete() ? null : eta(report)));
    }

    /**
     * A dependency of this READY connection was lost: tells the client and stops taking user messages until
     * {@link #ready} again. False when the connection was not READY (it is already waiting, or closed).
     */
    synchronized boolean reinitializing(StartupReport report, String encodedFrame) {
        if (state != State.READY) {
            return false;
        }
        state = State.REINITIALIZING;
        phasesReported = report.phasesDone();
        sender.send(encodedFrame);
        return true;
    }

    /** True while the connection waits for initialization, at connect or after a lost dependency. */
    boolean waiting() {
        State now = state;
        return now == State.INITIALIZING || now == State.REINITIALIZING;
    }

    /** One encoded progress frame per phase that completes while this connection waits; never one it already has. */
    synchronized void progress(int phasesDone, String encodedFrame) {
        if (!waiting() || phasesReported < 0 || phasesDone <= phasesReported) {
            return;
        }
        phasesReported = phasesDone;
        sender.send(encodedFrame);
    }

    synchronized void ready() {
        if (!waiting()) {
            return;
        }
        boolean first = state == State.INITIALIZING;
        state = State.READY;
        send(new ServerFrame.Ready("Candor is ready", id, userId()));
        if (first && setUpEnded(ConnectionMetrics.Setup.READY)) {
            metrics.readyAfter(System.nanoTime() - openedNanos);
        }
    }

    /**
     * The connection's setup ended with {@code outcome}: counted once, for the first outcome; false (not counted) when
     * its setup had already ended.
     */
    boolean setUpEnded(ConnectionMetrics.Setup outcome) {
        if (!setUp.compareAndSet(false, true)) {
            return false;
        }
        metrics.setUp(outcome);
        return true;
    }

    private void counted(ServerFrame frame) {
        if (frame instanceof ServerFrame.Error error) {
            metrics.errorOut(error.code());
        }
    }

    /** The estimate to send, or null when the server has none. */
    static Long eta(StartupReport report) {
        var eta = report.etaMs(Instant.now());
        return eta.isPresent() ? eta.getAsLong() : null;
    }

    void closed() {
        state = State.CLOSED;
        synchronized (this) {
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
        sender.markClosed();
    }

    /**
     * Collects one text message from its parts. Returns the whole text on the last part, or null while parts are
     * still coming. A message over {@code maxBytes} is dropped as it streams in and reported on its last part.
     */
    String assemble(String part, boolean last, int maxBytes) {
        partialBytes += utf8Length(part);
        if (partialBytes <= maxBytes) {
            partialText.append(part);
        } else {
            partialText.setLength(0);
        }
        if (!last) {
            return null;
        }
        long size = partialBytes;
        String text = partialText.toString();
        partialText.setLength(0);
        partialBytes = 0;
        if (size > maxBytes) {
            throw new FrameException(ErrorCode.MESSAGE_TOO_LARGE, "the frame has " + size + " bytes; at most "
                    + maxBytes + " are accepted. Nothing of it was processed");
        }
        return text;
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
