package dev.candor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/** Reading agent runs in tests: their events, their text, and the thread as the REST API stores it. */
public final class Runs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    public static String deltas(List<JsonNode> events) {
        return events.stream().filter(e -> "agent_delta".equals(e.path("type").asText()))
                .map(e -> e.path("payload").path("text").asText()).collect(Collectors.joining());
    }

    public static JsonNode last(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    public static JsonNode first(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + types(events)));
    }

    /** GET /api/threads/{id}/messages, parsed. */
    public static JsonNode thread(String threadId) {
        var response = Http.get(URI.create(Http.APP + "api/threads/" + threadId + "/messages"));
        if (response.statusCode() != 200) {
            throw new AssertionError("GET messages of " + threadId + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
