package dev.candor.application.agent;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/** A tool call the model asked for; {@code argumentsJson} is the model's JSON text. */
public record ToolCall(String id, String name, String argumentsJson) {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** The arguments as an object; text that is not one is kept as {@code unparsed}, so the call is still shown. */
    public JsonObject arguments() {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (var reader = JSON.createReader(new StringReader(argumentsJson))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            return JSON.createObjectBuilder().add("unparsed", argumentsJson).build();
        }
    }
}
