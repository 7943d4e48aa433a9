package dev.candor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One conversation with Candor over its WebSocket: waits for {@code ready}, asks once, follows the streamed answer. */
final class CandorConversation implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUN_ENDS = Set.of("agent_completed", "agent_error", "run_cancelled", "error");

    final CompletableFuture<Boolean> ready = new CompletableFuture<>();
    final CompletableFuture<TokenRelay.Sample> done = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile TokenRelay relay;

    static CandorConversation open(HttpClient http) {
        return open(http, ScenarioSetup.CHAT);
    }

    static CandorConversation open(HttpClient http, URI endpoint) {
        CandorConversation c = new CandorConversation();
        c.socket = http.newWebSocketBuilder().buildAsync(endpoint, c).join();
        return c;
    }

    /** Sends a {@code user_message} on a new thread; time to first token counts from here. */
    void ask(int tokens) {
        relay = new TokenRelay(System.nanoTime(), tokens);
        socket.sendText("{\"type\":\"user_message\",\"payload\":{\"content\":\"count\"}}", true);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            handle(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text) {
        try {
            JsonNode frame = JSON.readTree(text);
            String type = frame.path("type").asText();
            if ("system_message".equals(type) && "ready".equals(frame.path("payload").path("event").asText())) {
                ready.complete(true);
            } else if ("agent_delta".equals(type)) {
                relay.text(frame.path("payload").path("text").asText());
            } else if (RUN_ENDS.contains(type) && relay != null) {
                boolean clean = "agent_completed".equals(type);
                if (!clean) {
                    Progress.say("unexpected end of a run: " + text);
                }
                done.complete(relay.sample(clean));
            }
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ready.completeExceptionally(error);
        done.completeExceptionally(error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        IllegalStateException closed = new IllegalStateException("closed by the server: " + statusCode + " " + reason);
        ready.completeExceptionally(closed);
        done.completeExceptionally(closed);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    }
}
