package dev.candor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** One streaming chat request straight to the provider stand-in, with the same body shape an OpenAI client sends. */
final class DirectStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final HttpRequest request;

    DirectStream(HttpClient http, URI openAiBaseUrl) {
        this.http = http;
        String body = JSON.createObjectNode().put("model", "stub-model").put("stream", true)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", "count"))).toString();
        this.request = HttpRequest.newBuilder(URI.create(openAiBaseUrl + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends the request and reads the whole stream; time to first token counts from just before sending. */
    TokenRelay.Sample run(int tokens) throws Exception {
        TokenRelay relay = new TokenRelay(System.nanoTime(), tokens);
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        boolean finished = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data: {")) {
                    JsonNode content = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta")
                            .path("content");
                    if (content.isTextual() && !content.asText().isEmpty()) {
                        relay.text(content.asText());
                    }
                } else if (line.equals("data: [DONE]")) {
                    finished = true;
                }
            }
        }
        return relay.sample(finished && response.statusCode() == 200);
    }
}
