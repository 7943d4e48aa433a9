package dev.candor.application.agent;

import jakarta.json.JsonObject;

/** A tool offered to the model: name, description and JSON Schema of its arguments. */
public record ToolSpec(String name, String description, JsonObject parameters) {
}
