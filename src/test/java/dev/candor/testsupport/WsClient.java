package dev.candor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A chat client for tests on {@link java.net.http.WebSocket}: every frame it receives, in order, parsed. */
public final class WsClient implements AutoCloseable {

    public static final URI CHAT = URI.create("ws://127.0.0.1:8080/ws/chat");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final long openedAtNanos;
    private WebSocket socket;

    private WsClient() {
        openedAtNanos = System.nanoTime();
    }

    public static WsClient connect() {
        return connect(HTTP);
    }

    public static WsClient connect(HttpClient http) {
        return connect(http, CHAT);
    }

    /** A client of the chat endpoint at {@code chat} (another server than the tests' default one). */
    public static WsClient connect(HttpClient http, URI chat) {
        WsClient client = new WsClient();
        client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(chat, client.new Listener()).join();
        return client;
    }

    /** A client that sends {@code headers} with the handshake (e.g. Authorization), to {@code chat}. */
    public static WsClient connect(URI chat, java.util.Map<String, String> headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(chat, client.new Listener()).join();
        return client;
    }

    public static CompletableFuture<WsClient> connectAsync(HttpClient http) {
        WsClient client = new WsClient();
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60)).buildAsync(CHAT, client.new Listener())
                .thenApply(ws -> {
                    client.socket = ws;
                    return client;
                });
    }

    public long openedAtNanos() {
        return openedAtNanos;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next frame, or an AssertionError after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + timeout + "; frames so far: " + seen);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Frames until (and including) the first that matches; fails after {@code timeout}. */
    public List<JsonNode> until(Predicate<JsonNode> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> received = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame = next(Duration.ofNanos(Math.max(left, 1)));
            received.add(frame);
            if (last.test(frame)) {
                return received;
            }
        }
    }

    /**
     * Waits until {@code count} frames matching {@code match} have been received in all, counting frames already
     * taken by {@link #next} or {@link #until}; takes frames from the queue meanwhile. Fails after {@code timeout}.
     */
    public void awaitSeen(Predicate<JsonNode> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen().stream().filter(match).count() < count) {
            next(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)));
        }
    }

    /** Sends a frame and returns the reply (the next frame). */
    public JsonNode request(String text) {
        send(text);
        return next(Duration.ofSeconds(10));
    }

    public List<JsonNode> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    public int awaitClose(Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosedByServer() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        if (socket != null) {
            socket.abort();
        }
    }

    /** A run's events, from the next frame up to and including its terminal event. */
    public List<JsonNode> runEvents(Duration timeout) {
        return until(f -> java.util.Set.of("agent_completed", "agent_error", "run_cancelled")
                .contains(f.path("type").asText()), timeout);
    }

    /** Connects and waits for ready. */
    public static WsClient ready() {
        WsClient client = connect();
        client.until(f -> isSystem(f, "ready"), Duration.ofSeconds(30));
        return client;
    }

    /**
     * Connects; the client when the server accepted it (its first frame is {@code initializing}), null when it
     * refused it (and the client is closed).
     */
    public static WsClient connectUnlessRefused() {
        WsClient client = connect();
        if (isSystem(client.next(Duration.ofSeconds(10)), "initializing")) {
            return client;
        }
        client.close();
        return null;
    }

    /** A user_message frame; threadId and clientMessageId may be null. */
    public static String userMessage(String content, String threadId, String clientMessageId) {
        var payload = JSON.createObjectNode().put("content", content);
        if (threadId != null) {
            payload.put("thread_id", threadId);
        }
        if (clientMessageId != null) {
            payload.put("client_message_id", clientMessageId);
        }
        return JSON.createObjectNode().put("type", "user_message").set("payload", payload).toString();
    }

    public static boolean isSystem(JsonNode frame, String event) {
        return "system_message".equals(frame.path("type").asText()) && event.equals(frame.path("payload")
                .path("event").asText());
    }

    public static boolean isError(JsonNode frame, String code) {
        return "error".equals(frame.path("type").asText()) && code.equals(frame.path("payload").path("error_code")
                .asText());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(text.toString());
                    synchronized (seen) {
                        seen.add(frame);
                    }
                    frames.add(frame);
                } catch (IOException e) {
                    throw new UncheckedIOException("server sent a frame that is not JSON: " + text, e);
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
