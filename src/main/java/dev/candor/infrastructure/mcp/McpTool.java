package dev.candor.infrastructure.mcp;

import dev.candor.application.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.mcp.client.McpToolMetadataKeys;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One tool of an MCP server, offered to the model as {@code <server>__<tool>}: a dot is not allowed in the function
 * names of the OpenAI API ({@code ^[a-zA-Z0-9_-]{1,64}$}), so the server and the tool are joined by two underscores.
 */
final class McpTool implements Tool {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Joins server and tool in the name the model sees. */
    static final String SEPARATOR = "__";

    /** What both OpenAI and Anthropic accept as a function name. */
    static final java.util.regex.Pattern WIRE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final McpConnection connection;
    private final McpServerConfig server;
    private final String toolName;
    private final String name;
    private final String description;
    private final JsonObject parameters;
    private final boolean needsApproval;

    McpTool(McpConnection connection, McpServerConfig server, ToolSpecification spec) {
        this.connection = connection;
        this.server = server;
        this.toolName = spec.name();
        this.name = wireName(server.name(), spec.name());
        this.description = spec.description() != null ? spec.description() : "";
        this.parameters = spec.parameters() != null
                ? JSON.createObjectBuilder(JsonSchemaElementUtils.toMap(spec.parameters())).build()
                : JSON.createObjectBuilder().add("type", "object").add("properties", JSON.createObjectBuilder())
                        .build();
        this.needsApproval = needsApproval(server.approvals().get(spec.name()), spec.metadata());
    }

    /** {@code <server>__<tool>}, each character a model does not accept in a name replaced by {@code _}. */
    static String wireName(String server, String tool) {
        return server + SEPARATOR + tool.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * The configuration decides when it says so; else the server's annotations: a tool that declares itself
     * destructive, or not read-only, acts, and each of its calls needs the user's approval.
     */
    static boolean needsApproval(McpServerConfig.Approval configured, Map<String, Object> annotations) {
        if (configured != null) {
            return configured == McpServerConfig.Approval.REQUIRED;
        }
        return Boolean.TRUE.equals(annotations.get(McpToolMetadataKeys.DESTRUCTIVE_HINT))
                || Boolean.FALSE.equals(annotations.get(McpToolMetadataKeys.READ_ONLY_HINT));
    }

    /** The tool's name on its server. */
    String toolName() {
        return toolName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public JsonObject parameters() {
        return parameters;
    }

    @Override
    public String execute(JsonObject arguments, String ownerId) throws InterruptedException {
        return connection.call(toolName, arguments.toString(), ownerId); // sent only under a configured user_header
    }

    @Override
    public Optional<String> server() {
        return Optional.of(server.name());
    }

    @Override
    public Optional<Duration> timeout() {
        return server.callTimeout();
    }

    @Override
    public Set<String> groups() {
        return server.groups();
    }

    @Override
    public Optional<Duration> approval() {
        return needsApproval ? Optional.of(server.approvalTimeout()) : Optional.empty();
    }
}
