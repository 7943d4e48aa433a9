package dev.candor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One benchmark connection to {@code /ws/chat}: when it opened, got {@code initializing} and {@code ready}, and what
 * else it saw (error frames, closes, transport failures, pings, pongs). Frames are parsed and counted, not kept.
 */
final class ChatClient implements WebSocket.Listener {

    /** How a connection stands at the end of a scenario. */
    enum Outcome { READY, ERROR_FRAME, CLOSED, FAILED, WAITING }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long requestedNanos = System.nanoTime();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicInteger progressFrames = new AtomicInteger();
    private final AtomicInteger errorFrames = new AtomicInteger();
    private final AtomicInteger unexpectedFrames = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private volatile CompletableFuture<Void> pong = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile long openedNanos;
    private volatile long initializingNanos;
    private volatile long readyNanos;
    private volatile boolean initializingFirst;
    private volatile String firstProblem;
    private volatile int closeCode = -1;
    private volatile Throwable failure;

    // ---- listener ------------------------------------------------------------------------------------------------

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        openedNanos = System.nanoTime();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            frame(text, now);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        unexpectedFrames.incrementAndGet();
        problem("binary frame");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet(); // the JDK client answers the ping with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        problem("closed by the server: " + statusCode + " " + reason);
        settled.complete(null);
        pong.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failed(error);
    }

    // ---- connection lifecycle as seen by the fleet ---------------------------------------------------------------

    void failed(Throwable error) {
        failure = error;
        problem("failed: " + error);
        settled.complete(null);
        pong.complete(null);
    }

    /** Sends {@code {"type":"ping"}}; the returned future completes on the next pong (or a close or failure). */
    CompletableFuture<Void> ping() {
        CompletableFuture<Void> next = new CompletableFuture<>();
        pong = next;
        if (socket == null || failure != null || closeCode >= 0) {
            next.complete(null);
            return next;
        }
        socket.sendText("{\"type\":\"ping\"}", true).whenComplete((ws, error) -> {
            if (error != null) {
                failed(error);
            }
        });
        return next;
    }

    /** Closes the connection from the client side, without waiting for the server's answer. */
    void closeQuietly() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done").exceptionally(e -> null);
        }
    }

    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    // ---- what was seen -------------------------------------------------------------------------------------------

    Outcome outcome() {
        if (failure != null) {
            return Outcome.FAILED;
        }
        if (errorFrames.get() > 0) {
            return Outcome.ERROR_FRAME;
        }
        if (closeCode >= 0) {
            return Outcome.CLOSED;
        }
        return readyNanos != 0 ? Outcome.READY : Outcome.WAITING;
    }

    boolean isOpen() {
        return openedNanos != 0;
    }

    boolean hasInitializing() {
        return initializingNanos != 0;
    }

    boolean initializingFirst() {
        return initializingFirst;
    }

    boolean isReady() {
        return readyNanos != 0;
    }

    boolean isSettled() {
        return settled.isDone();
    }

    long requestedNanos() {
        return requestedNanos;
    }

    /** Request to completed WebSocket handshake, in nanoseconds; 0 while not open. */
    long handshakeNanos() {
        return openedNanos == 0 ? 0 : openedNanos - requestedNanos;
    }

    long readyNanos() {
        return readyNanos;
    }

    int progressFrames() {
        return progressFrames.get();
    }

    int unexpectedFrames() {
        return unexpectedFrames.get();
    }

    int pings() {
        return pings.get();
    }

    int pongs() {
        return pongs.get();
    }

    /** The first thing that went wrong on this connection, or null. */
    String firstProblem() {
        return firstProblem;
    }

    // ---- frames --------------------------------------------------------------------------------------------------

    private void frame(String text, long now) {
        boolean first = frames.incrementAndGet() == 1;
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (IOException e) {
            unexpectedFrames.incrementAndGet();
            problem("frame that is not JSON: " + text);
            return;
        }
        String type = frame.path("type").asText();
        String event = frame.path("payload").path("event").asText();
        if ("system_message".equals(type) && "initializing".equals(event)) {
            initializingNanos = now;
            initializingFirst = first;
        } else if ("system_message".equals(type) && "initialization_progress".equals(event)) {
            progressFrames.incrementAndGet();
        } else if ("system_message".equals(type) && "ready".equals(event)) {
            readyNanos = now;
            settled.complete(null);
        } else if ("pong".equals(type)) {
            pongs.incrementAndGet();
            pong.complete(null);
        } else if ("error".equals(type)) {
            errorFrames.incrementAndGet();
            problem("error frame " + frame.path("payload").path("error_code").asText() + ": "
                    + frame.path("payload").path("message").asText());
            settled.complete(null);
        } else {
            unexpectedFrames.incrementAndGet();
            problem("unexpected frame: " + text);
        }
    }

    private void problem(String what) {
        if (firstProblem == null) {
            firstProblem = what;
        }
    }
}
