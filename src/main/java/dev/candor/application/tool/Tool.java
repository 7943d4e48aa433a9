package dev.candor.application.tool;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A tool the agent may call. Operators add one by deploying a CDI bean that implements this interface, or by
 * configuring an MCP server (a {@link ToolSource}); the {@link ToolRegistry} finds both. A tool returns real results
 * or throws: the model then receives the error.
 */
public interface Tool {

    /** Name the model calls the tool by: lower_snake_case for tool beans, {@code <server>__<tool>} for MCP tools. */
    String name();

    /** What the tool does, for the model. */
    String description();

    /** JSON Schema of the arguments object. */
    JsonObject parameters();

    /** Runs the tool for {@code ownerId}, the user the run belongs to. */
    String execute(JsonObject arguments, String ownerId) throws Exception;

    /** The MCP server the tool comes from; empty for the tools deployed with Candor. */
    default Optional<String> server() {
        return Optional.empty();
    }

    /** Its own bound of one call, when it has one; else {@code candor.agent.tool-timeout-ms}. */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /** When not empty, only users in one of these groups (their token's {@code groups}) are offered the tool. */
    default Set<String> groups() {
        return Set.of();
    }

    /** Present when the user must approve each call before it runs: how long the run waits for that answer. */
    default Optional<Duration> approval() {
        return Optional.empty();
    }
}
