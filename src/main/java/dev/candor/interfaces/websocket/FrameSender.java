package dev.candor.interfaces.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one connection's text frames in order without blocking the caller: a queue drained by the container's
 * asynchronous send, one frame in flight at a time. A client too slow to drain {@code maxQueued} frames, or
 * {@code maxQueuedBytes} bytes of them (UTF-8), is closed with 1013: nothing is dropped silently.
 */
final class FrameSender {

    private static final Logger LOG = Logger.getLogger(FrameSender.class.getName());
    private static final int IN_CALL = 0;
    private static final int DONE_INLINE = 1;
    private static final int RETURNED = 2;

    private final Session session;
    private final int maxQueued;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean closed;

    FrameSender(Session session, int maxQueued, long maxQueuedBytes) {
        this.session = session;
        this.maxQueued = maxQueued;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    void send(String text) {
        if (closed) {
            return;
        }
        long bytes = utf8Length(text);
        if (queued.incrementAndGet() > maxQueued | queuedBytes.addAndGet(bytes) > maxQueuedBytes) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-bytes);
            LOG.fine(() -> "connection " + session.getId() + " does not read its frames (" + queued.get() + " frames, "
                    + queuedBytes.get() + " bytes queued); closing it with 1013");
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
        queuedBytes.addAndGet(utf8Length(text));
        queue.add(text);
        queue.add(reason);
        queued.addAndGet(2);
        drain();
    }

    /** The UTF-8 length of {@code text}, without encoding it (an unpaired surrogate counts 3: an upper bound). */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
            queuedBytes.addAndGet(-utf8Length((String) next));
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
