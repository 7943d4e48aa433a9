package dev.candor.interfaces.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one connection's text frames in order without blocking the caller: a queue drained by the container's
 * asynchronous send, one frame in flight at a time. A client too slow to drain {@code maxQueued} frames is closed.
 */
final class FrameSender {

    private static final Logger LOG = Logger.getLogger(FrameSender.class.getName());
    private static final int IN_CALL = 0;
    private static final int DONE_INLINE = 1;
    private static final int RETURNED = 2;

    private final Session session;
    private final int maxQueued;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean closed;

    FrameSender(Session session, int maxQueued) {
        this.session = session;
        this.maxQueued = maxQueued;
    }

    void send(String text) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            LOG.warning(() -> "connection " + session.getId() + " does not read its frames; closing it");
            closeNow(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "client too slow"));
            return;
        }
        queue.add(text);
        drain();
    }

    /** Sends {@code text}, then closes the connection once it is written. */
    void sendThenClose(String text, CloseReason reason) {
        if (closed) {
            return;
        }
        queue.add(text);
        queue.add(reason);
        queued.addAndGet(2);
        drain();
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
        queue.clear();
    }

    private void drain() {
        while (!closed && sending.compareAndSet(false, true)) {
            Object next = queue.poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            queued.decrementAndGet();
            if (next instanceof CloseReason reason) {
                closeNow(reason);
                return;
            }
            if (!sendOne((String) next)) {
                return; // the completion callback continues draining
            }
        }
    }

    /** True when the send completed inline, so the caller's loop may go on. */
    private boolean sendOne(String text) {
        AtomicInteger state = new AtomicInteger(IN_CALL);
        try {
            session.getAsyncRemote().sendText(text, result -> {
                sending.set(false);
                if (!result.isOK()) {
                    LOG.log(Level.FINE, "send to connection " + session.getId() + " failed", result.getException());
                    markClosed();
                    return;
                }
                if (!state.compareAndSet(IN_CALL, DONE_INLINE)) {
                    drain();
                }
            });
        } catch (RuntimeException e) {
            sending.set(false);
            LOG.log(Level.FINE, "connection " + session.getId() + " cannot send any more", e);
            markClosed();
            return false;
        }
        return !state.compareAndSet(IN_CALL, RETURNED);
    }

    private void closeNow(CloseReason reason) {
        markClosed();
        try {
            session.close(reason);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "closing connection " + session.getId() + " failed", e);
        }
    }
}
