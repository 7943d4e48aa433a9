package dev.candor.infrastructure.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.application.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class McpToolSourceTest {

    private static final McpServerConfig SERVER = new McpServerConfig("files", McpServerConfig.Transport.STDIO,
            List.of("files-server"), Map.of(), null, Map.of(), false, Duration.ofSeconds(1), Optional.empty(),
            Duration.ofSeconds(1), Map.of(), Set.of(), Optional.empty());

    private static McpTool tool(String name) {
        return new McpTool(null, SERVER, ToolSpecification.builder().name(name).description("d").build());
    }

    @Test
    void leavesOutOnlyTheToolWhoseNameIsTooLongOrTaken() {
        Map<String, Tool> found = new LinkedHashMap<>();
        McpToolSource.add(found, tool("read.file"));
        McpToolSource.add(found, tool("read_file")); // also files__read_file
        McpToolSource.add(found, tool("x".repeat(60)));
        McpToolSource.add(found, tool("write-file"));

        assertEquals(List.of("files__read_file", "files__write-file"), List.copyOf(found.keySet()));
        assertEquals("read.file", ((McpTool) found.get("files__read_file")).toolName());
    }
}
