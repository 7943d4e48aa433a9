package dev.candor.infrastructure.mcp;

import dev.candor.application.tool.Tool;
import dev.candor.application.tool.ToolSource;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.Setting;
import dev.langchain4j.agent.tool.ToolSpecification;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The MCP servers of {@code candor.mcp.config}: connects each one (SERVICES), lists its tools and keeps them. A
 * required server that cannot be reached fails the phase, naming it; an optional one is left out until SERVICES runs
 * again. A server that drops later is reconnected at its next call.
 */
@ApplicationScoped
public class McpToolSource implements ToolSource {

    private static final Logger LOG = Logger.getLogger(McpToolSource.class.getName());

    @Inject
    CandorConfig config;

    @Inject
    Config settings;

    @Resource
    ManagedThreadFactory threads;

    private ExecutorService executor;
    private final Map<String, McpConnection> connections = new ConcurrentHashMap<>();
    private volatile List<Tool> tools = List.of();
    private volatile Set<String> leftOut = Set.of();

    @Override
    public void connect() {
        List<McpServerConfig> servers = config.text(Setting.MCP_CONFIG).map(Path::of).map(McpConfigFile::read)
                .orElse(List.of());
        Map<String, Tool> found = new java.util.LinkedHashMap<>();
        Set<String> missing = new HashSet<>();
        for (McpServerConfig server : servers) {
            McpConnection connection = connections.computeIfAbsent(server.name(),
                    name -> new McpConnection(server, key -> settings.getOptionalValue(key, String.class), executor()));
            try {
                for (ToolSpecification spec : connection.listTools()) {
                    add(found, new McpTool(connection, server, spec));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting MCP server '" + server.name() + "'", e);
            } catch (RuntimeException e) {
                if (server.required()) {
                    throw new IllegalStateException("the required MCP server '" + server.name() + "' is not "
                            + "available: " + e.getMessage() + ". Start it or fix candor.mcp.config; Candor retries "
                            + "while clients wait", e);
                }
                LOG.warning(() -> "optional MCP server '" + server.name() + "' left out: " + e.getMessage());
                missing.add(server.name());
            }
        }
        tools = List.copyOf(found.values());
        leftOut = Set.copyOf(missing);
        LOG.info(() -> "MCP servers: " + servers.stream().map(McpServerConfig::name).toList() + ", left out "
                + leftOut + ", tools " + tools.stream().map(Tool::name).toList());
    }

    /** Adds {@code tool} unless its name is too long for the models or taken: that one tool is left out, logged. */
    static void add(Map<String, Tool> found, McpTool tool) {
        if (!McpTool.WIRE_NAME.matcher(tool.name()).matches()) {
            LOG.warning(() -> "MCP tool '" + tool.toolName() + "' of server '" + tool.server().orElseThrow()
                    + "' left out: '" + tool.name() + "' is longer than the 64 characters models accept");
        } else if (found.putIfAbsent(tool.name(), tool) != null) {
            LOG.warning(() -> "MCP tool '" + tool.toolName() + "' of server '" + tool.server().orElseThrow()
                    + "' left out: another of its tools is also offered as '" + tool.name() + "'");
        }
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newCachedThreadPool(threads);
        }
        return executor;
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public Set<String> leftOut() {
        return leftOut;
    }

    @PreDestroy
    void close() {
        connections.values().forEach(McpConnection::close);
        connections.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
