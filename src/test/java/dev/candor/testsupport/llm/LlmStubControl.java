package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Drives an {@link LlmProviderStub} over its HTTP control API, for code that cannot reach the stub object (e.g.
 * tests running inside the WildFly JVM). Scripts travel in the {@link ScriptCodec} JSON form. Every method throws
 * {@link IllegalStateException} when the stub answers with an error status.
 */
public final class LlmStubControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;

    /**
     * @param controlBase the stub's {@link LlmProviderStub#controlBaseUrl()}, e.g.
     *                    {@code http://127.0.0.1:PORT/_stub}
     */
    public LlmStubControl(URI controlBase) {
        String text = controlBase.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** Empties the queue and recordings and restores every default (see {@link LlmProviderStub#reset()}). */
    public void reset() {
        post("reset", "");
    }

    /** Status and delay of the models listings. */
    public void models(int status, long delayMs) {
        post("models", StubJson.write(StubJson.object().put("status", status).put("delay_ms", delayMs)));
    }

    /** The API key every provider request must carry; {@code null} accepts anything. */
    public void expectApiKey(String key) {
        post("api-key", StubJson.write(StubJson.object().put("key", key)));
    }

    /** Queues one script for the next chat request. */
    public void enqueue(Script script) {
        post("scripts", script.toJson());
    }

    /** Sets the script played when the queue is empty. */
    public void setDefault(Script script) {
        post("default-script", script.toJson());
    }

    /** The bodies of the chat requests recorded so far, in arrival order. */
    public List<String> requestBodies() {
        return chatRequests().stream().map(RecordedRequest::body).toList();
    }

    /** The chat requests recorded so far, in arrival order. */
    public List<RecordedRequest> chatRequests() {
        return RecordedRequest.listFromJson(get("requests"));
    }

    /** How many streaming clients went away mid-stream since the last reset. */
    public int disconnects() {
        JsonNode count = StubJson.parse(get("disconnects"));
        return count.asInt();
    }

    private String post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private String send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response =
                    http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("LLM stub control " + built.method() + " " + built.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("LLM stub control " + built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the LLM stub control API", e);
        }
    }
}
