package dev.candor.application.tool;

import jakarta.json.JsonObject;

/**
 * A tool the agent may call. Operators add one by deploying a CDI bean that implements this interface; the
 * {@link ToolRegistry} finds it. A tool returns real results or throws: the model then receives the error.
 */
public interface Tool {

    /** Name the model calls the tool by: lower_snake_case, unique. */
    String name();

    /** What the tool does, for the model. */
    String description();

    /** JSON Schema of the arguments object. */
    JsonObject parameters();

    /** Runs the tool for {@code ownerId}, the user the run belongs to. */
    String execute(JsonObject arguments, String ownerId) throws Exception;
}
