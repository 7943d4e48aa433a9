package dev.candor.application.tool;

import java.util.List;
import java.util.Set;

/**
 * Tools that live outside the deployment (MCP servers), connected by the SERVICES phase and listed beside the tool
 * beans by the {@link ToolRegistry}. Implemented in infrastructure.
 */
public interface ToolSource {

    /**
     * Connects what is configured and lists its tools. Throws, naming the server, when one the configuration marks
     * required cannot be reached; an optional one is left out. Connections already made are kept.
     */
    void connect();

    /** The tools of the connected servers. */
    List<Tool> tools();

    /** Configured servers left out because they could not be reached, by name. */
    Set<String> leftOut();
}
