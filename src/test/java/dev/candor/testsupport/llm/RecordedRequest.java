package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request the stub received (control requests under {@code /_stub/} are not recorded).
 *
 * @param method     HTTP method, e.g. {@code POST}
 * @param path       request path without the query, e.g. {@code /v1/chat/completions}
 * @param headers    request headers with lower-cased names
 * @param body       the body as UTF-8 text ({@code ""} when empty)
 * @param json       the body parsed as JSON, or {@code null} when it is not JSON (treat as read-only)
 * @param receivedAt when the request arrived
 */
public record RecordedRequest(
        String method, String path, Map<String, List<String>> headers, String body, JsonNode json, Instant receivedAt) {

    /** What a request was aimed at. */
    public enum Kind {
        OPENAI_CHAT,
        OPENAI_MODELS,
        ANTHROPIC_CHAT,
        ANTHROPIC_MODELS,
        OTHER
    }

    public RecordedRequest {
        Map<String, List<String>> lowerCased = new LinkedHashMap<>();
        headers.forEach((name, values) -> lowerCased
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        lowerCased.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(lowerCased);
        body = body == null ? "" : body;
    }

    /** Creates a record, parsing the body as JSON when it is JSON. */
    static RecordedRequest of(String method, String path, Map<String, List<String>> headers, String body) {
        return new RecordedRequest(method, path, headers, body, StubJson.parseOrNull(body), Instant.now());
    }

    /** The first value of a header (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Kind kind() {
        return switch (method + " " + path) {
            case "POST " + LlmProviderStub.OPENAI_PREFIX + "/chat/completions" -> Kind.OPENAI_CHAT;
            case "GET " + LlmProviderStub.OPENAI_PREFIX + "/models" -> Kind.OPENAI_MODELS;
            case "POST " + LlmProviderStub.ANTHROPIC_PREFIX + "/messages" -> Kind.ANTHROPIC_CHAT;
            case "GET " + LlmProviderStub.ANTHROPIC_PREFIX + "/models" -> Kind.ANTHROPIC_MODELS;
            default -> Kind.OTHER;
        };
    }

    /** True for OpenAI chat completions and Anthropic messages requests. */
    public boolean isChat() {
        return kind() == Kind.OPENAI_CHAT || kind() == Kind.ANTHROPIC_CHAT;
    }

    /** True when the JSON body asks for a streamed answer ({@code "stream": true}). */
    public boolean streaming() {
        return json != null && json.path("stream").asBoolean(false);
    }

    // ---- JSON form used by GET /_stub/requests ------------------------------------------------------------------

    static String toJson(List<RecordedRequest> requests) {
        ArrayNode array = StubJson.array();
        for (RecordedRequest request : requests) {
            ObjectNode node = array.addObject()
                    .put("method", request.method())
                    .put("path", request.path())
                    .put("received_at", request.receivedAt().toString());
            ObjectNode headers = node.putObject("headers");
            request.headers().forEach((name, values) -> values.forEach(headers.putArray(name)::add));
            node.put("body", request.body());
        }
        return StubJson.write(array);
    }

    static List<RecordedRequest> listFromJson(String json) {
        List<RecordedRequest> requests = new ArrayList<>();
        for (JsonNode node : StubJson.parse(json)) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            node.path("headers").properties().forEach(entry -> {
                List<String> values = new ArrayList<>();
                entry.getValue().forEach(value -> values.add(value.asText()));
                headers.put(entry.getKey(), values);
            });
            String body = node.path("body").asText("");
            requests.add(new RecordedRequest(
                    node.path("method").asText(),
                    node.path("path").asText(),
                    headers,
                    body,
                    StubJson.parseOrNull(body),
                    Instant.parse(node.path("received_at").asText())));
        }
        return requests;
    }
}
